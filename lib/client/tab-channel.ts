// What happens to the session in one tab reaches every other tab of this origin at once
// (SPEC §9 "across tabs"). BroadcastChannel where the browser has it; otherwise a localStorage
// write, whose `storage` event fires in every other tab. Neither echoes to the sending tab.

import type { SessionInfo } from '@/lib/shared/api-types'

export type TabMessage =
  | { type: 'signed-in'; session: SessionInfo }
  | { type: 'refreshed'; session: SessionInfo }
  /** The expiry warning was answered with "Stay signed in": close it everywhere. */
  | { type: 'extended' }
  /** The final-stretch warning (session cannot be extended) was dismissed for this end. */
  | { type: 'warning-dismissed'; expiresAt: number }
  | { type: 'signed-out'; reason: string }

export type TabChannel = {
  post: (message: TabMessage) => void
  subscribe: (listener: (message: TabMessage) => void) => () => void
  close: () => void
}

const CHANNEL_NAME = 'njjwt-session'
export const TAB_MESSAGE_KEY = 'njjwt.tab-message'
const TYPES = new Set(['signed-in', 'refreshed', 'extended', 'warning-dismissed', 'signed-out'])

function isTabMessage(value: unknown): value is TabMessage {
  return typeof value === 'object' && value !== null && TYPES.has((value as { type?: unknown }).type as string)
}

type ChannelOptions = { useBroadcastChannel?: boolean }

export function openTabChannel({ useBroadcastChannel = typeof BroadcastChannel === 'function' }: ChannelOptions = {}): TabChannel {
  const listeners = new Set<(message: TabMessage) => void>()
  const deliver = (data: unknown) => {
    if (!isTabMessage(data)) return
    for (const listener of [...listeners]) listener(data)
  }

  let post: (message: TabMessage) => void
  let close: () => void
  if (useBroadcastChannel) {
    const channel = new BroadcastChannel(CHANNEL_NAME)
    channel.onmessage = (event: MessageEvent) => deliver(event.data)
    post = (message) => channel.postMessage(message)
    close = () => channel.close()
  } else {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== TAB_MESSAGE_KEY || !event.newValue) return
      try {
        deliver((JSON.parse(event.newValue) as { message: unknown }).message)
      } catch {
        // Not ours or truncated: ignore, as BroadcastChannel would never deliver it.
      }
    }
    window.addEventListener('storage', onStorage)
    post = (message) => {
      try {
        // A nonce makes every write a change (equal values fire no event); removing it right
        // away keeps the key from holding stale news.
        window.localStorage.setItem(TAB_MESSAGE_KEY, JSON.stringify({ message, nonce: `${Date.now()}-${Math.random()}` }))
        window.localStorage.removeItem(TAB_MESSAGE_KEY)
      } catch {
        // Storage disabled (private mode, quota): this tab cannot tell the others.
      }
    }
    close = () => window.removeEventListener('storage', onStorage)
  }

  return {
    post,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      close()
    },
  }
}

/**
 * A channel opened on first use: a client built during the server render (or never used) opens
 * no BroadcastChannel and adds no listener.
 */
export function lazyTabChannel(open: () => TabChannel = openTabChannel): TabChannel {
  let channel: TabChannel | null = null
  const opened = () => (channel ??= open())
  return {
    post: (message) => opened().post(message),
    subscribe: (listener) => opened().subscribe(listener),
    close() {
      channel?.close()
      channel = null
    },
  }
}
