// Anomaly flags a session carries (SPEC §5), in words a person understands.

const FLAG_LABELS: Record<string, string> = {
  ip_changed: 'New network',
  user_agent_changed: 'Browser changed',
}

export const flagLabel = (flag: string) => FLAG_LABELS[flag] ?? 'Unusual activity'
