import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'

type Reply = Buffer | string | number | null | Error | Reply[]

/**
 * Test-only server speaking the Upstash REST protocol in front of a real Redis, so that
 * @upstash/redis and @upstash/ratelimit (and their Lua scripts) run against Redis in CI
 * (SPEC §10). Shapes follow @upstash/redis's HttpClient: POST `/`, `/pipeline`,
 * `/multi-exec` with JSON command arrays; `{result}` or `{error}` (400) back.
 */
export async function startRestBridge(options: { redisUrl: string }): Promise<{ url: string; token: string; close(): Promise<void> }> {
  // The app's own Redis client library (lib/store/redis-client.ts), here in buffer mode so values
  // come back as the bytes they were set as.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 })
  const token = randomBytes(24).toString('hex')
  const scripts = createScriptTranslator()
  await redis.ping() // fail at startup, not in the first test, when Redis is down
  const run = async (args: string[]): Promise<Reply> => redis.callBuffer(args[0]!, ...args.slice(1)).then((value) => value as Reply, (error: Error) => error)

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { error: error instanceof Error ? error.message : String(error) }))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return reply(res, 405, { error: 'Method not allowed' })
    if (req.headers.authorization !== `Bearer ${token}`) return reply(res, 401, { error: 'Unauthorized' })
    const body = JSON.parse(await readBody(req)) as unknown
    // The client asks for base64 by default so that binary values survive JSON.
    const base64 = req.headers['upstash-encoding'] === 'base64'
    const item = (args: string[], value: Reply) => (value instanceof Error ? { error: value.message } : { result: toJson(value, base64, isStatusReply(args)) })
    const commands = () => (body as unknown[]).map((command) => scripts.toRedis(toArgs(command)))

    switch (req.url) {
      case '/': {
        const args = scripts.toRedis(toArgs(body))
        const result = await run(args)
        return result instanceof Error ? reply(res, 400, { error: result.message }) : reply(res, 200, item(args, result))
      }
      case '/pipeline': {
        const all = commands()
        return reply(res, 200, await Promise.all(all.map(async (args) => item(args, await run(args)))))
      }
      case '/multi-exec': {
        const all = commands()
        const multi = redis.multi()
        for (const args of all) multi.callBuffer(args[0]!, ...args.slice(1))
        const replies = await multi.exec().catch((error: Error) => error)
        if (replies instanceof Error) return reply(res, 400, { error: replies.message })
        if (!replies) return reply(res, 400, { error: 'EXECABORT Transaction discarded' })
        return reply(res, 200, replies.map(([error, value], i) => item(all[i]!, (error ?? value) as Reply)))
      }
      default:
        return reply(res, 404, { error: `Unknown path ${req.url}` })
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    async close() {
      server.closeAllConnections() // the client keeps connections alive
      await new Promise<void>((resolve) => server.close(() => resolve()))
      redis.disconnect()
    },
  }
}

/**
 * Upstash accepts a `#!lua flags=allow-key-locking` shebang (used by every
 * @upstash/ratelimit script) that real Redis rejects ("Unexpected flag in script
 * shebang"). We drop that flag and map the caller's SHA to the rewritten script's SHA,
 * so EVALSHA first answers NOSCRIPT (the client falls back to EVAL) and then hits.
 */
function createScriptTranslator() {
  const shaOfRewritten = new Map<string, string>()
  const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')
  const rewrite = (script: string) => {
    const match = /^#!lua flags=([^\n]*)/.exec(script)
    if (!match) return script
    const flags = match[1]!.split(',').filter((flag) => flag.trim() !== 'allow-key-locking')
    const rewritten = `#!lua flags=${flags.join(',')}${script.slice(match[0].length)}`
    if (rewritten !== script) shaOfRewritten.set(sha1(script), sha1(rewritten))
    return rewritten
  }
  return {
    toRedis(args: string[]): string[] {
      const [name = '', first = '', second = ''] = args
      const command = name.toLowerCase()
      if (command === 'eval' || command === 'eval_ro') return [name, rewrite(first), ...args.slice(2)]
      if (command === 'evalsha' || command === 'evalsha_ro') return [name, shaOfRewritten.get(first.toLowerCase()) ?? first, ...args.slice(2)]
      if (command === 'script' && first.toLowerCase() === 'load') return [name, first, rewrite(second)]
      return args
    },
  }
}

function toArgs(command: unknown): string[] {
  if (!Array.isArray(command) || command.length === 0) throw new Error('A command is a non-empty JSON array')
  // @upstash/redis sends strings, numbers and booleans as they are and JSON for the rest.
  return command.map((part) => (typeof part === 'string' ? part : typeof part === 'object' ? JSON.stringify(part) : String(part)))
}

// Commands whose reply is a status ("OK"), not data: Upstash sends those raw even in base64 mode.
const STATUS_COMMANDS = new Set(['set', 'setex', 'psetex', 'mset', 'ping', 'flushdb', 'flushall', 'select', 'rename', 'ltrim', 'lset', 'hmset', 'restore'])

function isStatusReply(args: string[]): boolean {
  const command = (args[0] ?? '').toLowerCase()
  if (command === 'script' && (args[1] ?? '').toLowerCase() === 'flush') return true
  return STATUS_COMMANDS.has(command) && !(command === 'set' && args.some((arg) => arg.toLowerCase() === 'get'))
}

/** Upstash's base64 mode: every string is base64 of its bytes; numbers and nil stay; a status stays raw. */
function toJson(value: Reply, base64: boolean, status: boolean): unknown {
  if (Array.isArray(value)) return value.map((element) => toJson(element, base64, false))
  if (value instanceof Error) return value.message
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value)
    return base64 && !status ? bytes.toString('base64') : bytes.toString('utf8')
  }
  return value
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}
