import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connectResp, RespError, type RespReply } from './resp-connection'

/**
 * Test-only server speaking the Upstash REST protocol in front of a real Redis, so that
 * @upstash/redis and @upstash/ratelimit (and their Lua scripts) run against Redis in CI
 * (SPEC §10). Shapes follow @upstash/redis's HttpClient: POST `/`, `/pipeline`,
 * `/multi-exec` with JSON command arrays; `{result}` or `{error}` (400) back.
 */
export async function startRestBridge(options: { redisUrl: string }): Promise<{ url: string; token: string; close(): Promise<void> }> {
  const redis = connectResp(options.redisUrl)
  const token = randomBytes(24).toString('hex')
  const scripts = createScriptTranslator()
  await redis.send([['PING']]) // fail at startup, not in the first test, when Redis is down

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { error: error instanceof Error ? error.message : String(error) }))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return reply(res, 405, { error: 'Method not allowed' })
    if (req.headers.authorization !== `Bearer ${token}`) return reply(res, 401, { error: 'Unauthorized' })
    const body = JSON.parse(await readBody(req)) as unknown
    // The client asks for base64 by default so that binary values survive JSON.
    const encode = (value: RespReply) => toJson(value, req.headers['upstash-encoding'] === 'base64')
    const item = (value: RespReply) => (value instanceof RespError ? { error: value.message } : { result: encode(value) })
    const commands = () => (body as unknown[]).map((command) => scripts.toRedis(toArgs(command)))

    switch (req.url) {
      case '/': {
        const [result] = await redis.send([scripts.toRedis(toArgs(body))])
        return result instanceof RespError ? reply(res, 400, { error: result.message }) : reply(res, 200, { result: encode(result!) })
      }
      case '/pipeline':
        return reply(res, 200, (await redis.send(commands())).map(item))
      case '/multi-exec': {
        // One write keeps MULTI…EXEC contiguous on the shared connection.
        const replies = await redis.send([['MULTI'], ...commands(), ['EXEC']])
        const exec = replies.at(-1)
        if (exec instanceof RespError) return reply(res, 400, { error: exec.message })
        if (!Array.isArray(exec)) return reply(res, 400, { error: 'EXECABORT Transaction discarded' })
        return reply(res, 200, exec.map(item))
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
      redis.close()
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

/** Upstash's base64 mode: every string is base64 of its bytes; numbers and nil stay. */
function toJson(value: RespReply, base64: boolean): unknown {
  if (Array.isArray(value)) return value.map((element) => toJson(element, base64))
  if (value instanceof RespError) return value.message
  if (Buffer.isBuffer(value)) return base64 ? value.toString('base64') : value.toString('utf8')
  // Status replies: the client keeps a bare "OK" as it is, so Upstash sends that one raw.
  if (typeof value === 'string') return base64 && value !== 'OK' ? Buffer.from(value).toString('base64') : value
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
