// Test support: several tabs of one browser, each with its own session client, sharing a lock
// manager, a localStorage and a BroadcastChannel that reach the other tabs late, as Chromium's
// do (each renderer has its own copy of localStorage, synced asynchronously). Test files only.

import { vi } from 'vitest'
import { createSessionClient, type SessionClient } from '../session-client'
import type { SharedStorage } from '../shared-storage'
import type { TabChannel, TabMessage } from '../tab-channel'
import { createFakeLocks } from './fake-locks'

type Tab = {
  values: Map<string, string>
  storageListeners: Set<(key: string | null) => void>
  channelListeners: Set<(message: TabMessage) => void>
}

/** `storageDelayMs`, `channelDelayMs`: how long a write or a message takes to reach the other tabs (setTimeout). */
export function createBrowserTabs({ storageDelayMs = 0, channelDelayMs = 0 } = {}) {
  const locks = createFakeLocks()
  const tabs: Tab[] = []
  const others = (tab: Tab) => tabs.filter((each) => each !== tab)

  function openTab(): SessionClient {
    const tab: Tab = { values: new Map(tabs[0]?.values), storageListeners: new Set(), channelListeners: new Set() }
    tabs.push(tab)
    const storage: SharedStorage = {
      read: (key) => tab.values.get(key) ?? null,
      write(key, value) {
        const apply = (target: Tab) => (value === null ? target.values.delete(key) : target.values.set(key, value))
        apply(tab)
        for (const other of others(tab)) {
          setTimeout(() => {
            apply(other)
            for (const listener of [...other.storageListeners]) listener(key)
          }, storageDelayMs)
        }
      },
      onOtherTabChange(listener) {
        tab.storageListeners.add(listener)
        return () => tab.storageListeners.delete(listener)
      },
    }
    const channel: TabChannel = {
      post(message) {
        for (const other of others(tab)) setTimeout(() => [...other.channelListeners].forEach((listener) => listener(message)), channelDelayMs)
      },
      subscribe(listener) {
        tab.channelListeners.add(listener)
        return () => tab.channelListeners.delete(listener)
      },
      close: () => tab.channelListeners.clear(),
    }
    return createSessionClient({ storage, channel, locks: { request: locks.request, query: locks.query }, leavePage: vi.fn() })
  }

  return { openTab, locks }
}
