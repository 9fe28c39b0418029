import { connect, type Socket } from 'node:net'

/** An error reply from Redis (`-ERR …`, `-NOSCRIPT …`), kept as a value, not thrown. */
export class RespError extends Error {
  override name = 'RespError'
}

/** Bulk strings stay bytes (Buffer); status replies are strings; nil is null. */
export type RespReply = Buffer | string | number | null | RespError | RespReply[]

type Batch = { expected: number; replies: RespReply[]; resolve(replies: RespReply[]): void; reject(error: Error): void }

/**
 * A minimal RESP2 client for the test bridge: one socket, pipelined batches answered in
 * order. A batch is written in one go, so a MULTI…EXEC batch is never interleaved.
 */
export function connectResp(redisUrl: string) {
  const url = new URL(redisUrl)
  let socket: Socket | null = null
  let buffer = Buffer.alloc(0)
  const waiting: Batch[] = []

  function open(): Socket {
    const next = connect(Number(url.port || 6379), url.hostname || '127.0.0.1')
    next.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      try {
        for (let parsed = parse(buffer, 0); parsed; parsed = parse(buffer, 0)) {
          buffer = buffer.subarray(parsed.end)
          const batch = waiting[0]!
          batch.replies.push(parsed.value)
          if (batch.replies.length === batch.expected) batch.resolve(waiting.shift()!.replies)
        }
      } catch (error) {
        next.destroy(error as Error) // out of step with the server: start over
      }
    })
    let failure: Error | undefined
    next.on('error', (error) => (failure = error)) // 'close' follows and fails what is waiting
    next.on('close', () => {
      socket = null
      buffer = Buffer.alloc(0)
      const error = new Error(`Redis at ${url.host}: ${failure?.message ?? 'connection closed'}`)
      for (const batch of waiting.splice(0)) batch.reject(error)
    })
    // Queued ahead of everything else on this connection (redis://:password@host:port/db).
    const setup: string[][] = []
    if (url.password) setup.push(url.username ? ['AUTH', decodeURIComponent(url.username), decodeURIComponent(url.password)] : ['AUTH', decodeURIComponent(url.password)])
    if (url.pathname.length > 1) setup.push(['SELECT', url.pathname.slice(1)])
    if (setup.length > 0) write(next, setup, () => {}, () => {})
    return next
  }

  function write(target: Socket, commands: string[][], resolve: Batch['resolve'], reject: Batch['reject']): void {
    waiting.push({ expected: commands.length, replies: [], resolve, reject })
    target.write(Buffer.concat(commands.map(encode)))
  }

  return {
    send(commands: string[][]): Promise<RespReply[]> {
      if (commands.length === 0) return Promise.resolve([])
      return new Promise((resolve, reject) => write((socket ??= open()), commands, resolve, reject))
    },
    close(): void {
      socket?.end()
    },
  }
}

function encode(args: string[]): Buffer {
  const parts = args.map((arg) => Buffer.from(arg, 'utf8'))
  const header = `*${parts.length}\r\n`
  return Buffer.concat([Buffer.from(header), ...parts.flatMap((part) => [Buffer.from(`$${part.length}\r\n`), part, Buffer.from('\r\n')])])
}

/** Parses one reply at `start`; null when the buffer does not yet hold all of it. */
function parse(buffer: Buffer, start: number): { value: RespReply; end: number } | null {
  const lineEnd = buffer.indexOf('\r\n', start)
  if (lineEnd < 0) return null
  const line = buffer.toString('utf8', start + 1, lineEnd)
  const next = lineEnd + 2
  switch (String.fromCharCode(buffer[start]!)) {
    case '+':
      return { value: line, end: next }
    case '-':
      return { value: new RespError(line), end: next }
    case ':':
      return { value: Number(line), end: next }
    case '$': {
      const length = Number(line)
      if (length < 0) return { value: null, end: next }
      if (buffer.length < next + length + 2) return null
      return { value: Buffer.from(buffer.subarray(next, next + length)), end: next + length + 2 }
    }
    case '*': {
      const count = Number(line)
      if (count < 0) return { value: null, end: next }
      const values: RespReply[] = []
      let end = next
      for (let i = 0; i < count; i++) {
        const element = parse(buffer, end)
        if (!element) return null
        values.push(element.value)
        end = element.end
      }
      return { value: values, end }
    }
    default:
      throw new Error(`Unexpected RESP type byte ${buffer[start]}`)
  }
}
