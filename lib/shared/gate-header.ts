/** The request header the gate's verdict travels in to the route handler (lib/auth/gate-verdict.ts). */
export const GATE_VERDICT_HEADER = 'x-njjwt-gate'
