// Test support: navigator.locks as one browser has it, shared by every simulated tab of a
// test. Exclusive locks only: the callbacks for a name run one after another, and query()
// lists the names held and waiting, as the browser's lock manager reports them.

type Callback = (lock: Lock | null) => unknown
type Waiter = { name: string; run: () => void }
/** LockManager['request'] with both of its shapes, callable as either. */
type FakeRequest = ((name: string, callback: Callback) => Promise<unknown>) & ((name: string, options: LockOptions, callback: Callback) => Promise<unknown>)

export function createFakeLocks() {
  const held = new Set<string>()
  const waiting: Waiter[] = []

  function grantNext(name: string) {
    const index = waiting.findIndex((waiter) => waiter.name === name)
    if (index >= 0) waiting.splice(index, 1)[0]!.run()
  }

  function request(name: string, optionsOrCallback: LockOptions | Callback, maybeCallback?: Callback): Promise<unknown> {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback)!
    const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback
    return new Promise((resolve, reject) => {
      const run = () => {
        held.add(name)
        Promise.resolve()
          .then(() => callback({ name, mode: 'exclusive' } as Lock))
          .then(resolve, reject)
          .finally(() => {
            held.delete(name)
            grantNext(name)
          })
      }
      if (!held.has(name) && !waiting.some((waiter) => waiter.name === name)) run()
      else if (options.ifAvailable) Promise.resolve(callback(null)).then(resolve, reject)
      else waiting.push({ name, run })
    })
  }

  async function query(): Promise<LockManagerSnapshot> {
    return {
      held: [...held].map((name) => ({ name, mode: 'exclusive' as const })),
      pending: waiting.map(({ name }) => ({ name, mode: 'exclusive' as const })),
    }
  }

  return { request: request as FakeRequest, query, held: () => [...held] }
}
