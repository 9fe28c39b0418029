// The storage every tab of this origin shares (localStorage), behind a small port so that a
// session client can be built on a fake in tests (one per simulated tab, writes arriving late).
// Only times, ids and flags go in it, never a token (SPEC §3).

export type SharedStorage = {
  read: (key: string) => string | null
  /** null removes the key. */
  write: (key: string, value: string | null) => void
  /** Another tab changed `key` (null: it cleared all storage). Never called for this tab's own writes. */
  onOtherTabChange: (listener: (key: string | null) => void) => () => void
}

/**
 * localStorage, with an in-memory copy for when it throws (disabled, private mode, quota): this
 * tab keeps working, other tabs just don't hear of it. Other tabs' writes arrive as `storage` events.
 */
export function browserStorage(): SharedStorage {
  const memory = new Map<string, string>()
  return {
    read(key) {
      try {
        return window.localStorage.getItem(key)
      } catch {
        return memory.get(key) ?? null
      }
    },
    write(key, value) {
      if (value === null) memory.delete(key)
      else memory.set(key, value)
      try {
        if (value === null) window.localStorage.removeItem(key)
        else window.localStorage.setItem(key, value)
      } catch {
        // Kept in memory above.
      }
    },
    onOtherTabChange(listener) {
      const onStorage = (event: StorageEvent) => listener(event.key)
      window.addEventListener('storage', onStorage)
      return () => window.removeEventListener('storage', onStorage)
    },
  }
}

/** One tab's storage with nobody else (the server render, tests). */
export function memoryStorage(): SharedStorage {
  const values = new Map<string, string>()
  return {
    read: (key) => values.get(key) ?? null,
    write: (key, value) => void (value === null ? values.delete(key) : values.set(key, value)),
    onOtherTabChange: () => () => {},
  }
}
