// One once-a-second tick per page for every countdown on it, running only while something
// shows one. Each tick lands just after a whole second of wall-clock time: expiry times are
// whole seconds, so every tab shows the same number at the same moment, and the ticks never drift.

export type SubscribeToSeconds = (listener: () => void) => () => void

export function createSecondsTicker(now: () => number): SubscribeToSeconds {
  const listeners = new Set<() => void>()
  let ticker: ReturnType<typeof setTimeout> | undefined

  function scheduleTick() {
    ticker = setTimeout(() => {
      for (const each of [...listeners]) each()
      scheduleTick()
    }, 1000 - (now() % 1000) + 5)
  }

  return (listener) => {
    listeners.add(listener)
    if (ticker === undefined) scheduleTick()
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0) {
        clearTimeout(ticker)
        ticker = undefined
      }
    }
  }
}
