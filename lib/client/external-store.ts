// A value outside React that components read with useSyncExternalStore: only the components
// that read it re-render when it changes (the countdown ticks without re-rendering the page).

export type ExternalStore<T> = {
  get: () => T
  set: (next: T) => void
  subscribe: (listener: () => void) => () => void
}

export function createExternalStore<T>(initial: T, equals: (a: T, b: T) => boolean = Object.is): ExternalStore<T> {
  let value = initial
  const listeners = new Set<() => void>()
  return {
    get: () => value,
    set(next) {
      if (equals(value, next)) return
      value = next
      for (const listener of [...listeners]) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
