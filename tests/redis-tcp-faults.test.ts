import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { KvUnavailableError } from '@/lib/store/kv'
import { createRedisKv } from '@/lib/store/kv-redis'
import { createRedisRateLimiter } from '@/lib/store/rate-limit-redis'
import { REDIS_TIMEOUT_MS } from '@/lib/store/redis-client'

// SPEC §1 "Redis over TCP" and §6: every call on the TCP backend is bounded. A Redis that is down
// or hung is KvUnavailableError within about a second (the gate answers 503), and once it is back
// the same process uses it again, with no restart. A Redis of our own on a free port: the machine's
// Redis is never touched.
const BOUND_MS = 3 * REDIS_TIMEOUT_MS

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const started: ChildProcess[] = []
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  started.push(child)
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)))
      socket.on('error', () => resolve(false))
    })
    if (up) return child
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('redis-server did not start')
}
async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}
afterAll(async () => {
  for (const child of started) await stop(child)
})

async function failsFast(call: () => Promise<unknown>) {
  const start = performance.now()
  await expect(call()).rejects.toBeInstanceOf(KvUnavailableError)
  expect(performance.now() - start).toBeLessThan(BOUND_MS)
}

/** Polls until `call` succeeds; the reconnection runs in the background. */
async function worksAgain(call: () => Promise<unknown>) {
  const deadline = performance.now() + 10_000
  for (;;) {
    try {
      return await call()
    } catch (error) {
      if (performance.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

describe('Redis over TCP when Redis goes away', () => {
  it('down: the denylist and the limiter fail fast with KvUnavailableError; back: they work again without a restart', async () => {
    const port = await freePort()
    let redis = await startRedis(port)
    const url = `redis://127.0.0.1:${port}`
    const kv = createRedisKv({ url, prefix: 'faults' })
    const limiter = createRedisRateLimiter({ url, prefix: 'faults' })
    await kv.set('deny:sid:1', '1', 60)
    expect(await kv.getMany(['deny:sid:1'])).toEqual(['1'])

    await stop(redis)
    await failsFast(() => kv.getMany(['deny:sid:1']))
    await failsFast(() => kv.set('deny:sid:2', '1', 60))
    await failsFast(() => limiter.limit('ip:192.0.2.1', { limit: 5, windowSeconds: 60 }))
    await failsFast(() => limiter.beginAttempt('a|192.0.2.1', { limit: 5, windowSeconds: 60 }, 30))

    redis = await startRedis(port)
    await worksAgain(() => kv.set('deny:sid:3', '1', 60))
    expect(await kv.getMany(['deny:sid:3'])).toEqual(['1'])
    expect((await limiter.limit('ip:192.0.2.1', { limit: 5, windowSeconds: 60 })).ok).toBe(true)
  })

  it('hung (accepts connections and never answers): fails within the timeout, never hangs', async () => {
    const held: net.Socket[] = []
    const silent = net.createServer((socket) => void held.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const url = `redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`
    try {
      await failsFast(() => createRedisKv({ url }).getMany(['deny:jti:x']))
      await failsFast(() => createRedisRateLimiter({ url }).limit('ip:192.0.2.1', { limit: 5, windowSeconds: 60 }))
    } finally {
      for (const socket of held) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('a Redis that stops answering mid-connection (SIGSTOP): calls time out, and answer again after SIGCONT', async () => {
    const port = await freePort()
    const redis = await startRedis(port)
    const kv = createRedisKv({ url: `redis://127.0.0.1:${port}` })
    await kv.set('k', 'v', 60)
    redis.kill('SIGSTOP')
    try {
      await failsFast(() => kv.getMany(['k']))
    } finally {
      redis.kill('SIGCONT')
    }
    expect(await worksAgain(() => kv.getMany(['k']))).toEqual(['v'])
  })
})
