import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import path from 'node:path'

// What the instances wrote to their logs (stdout and stderr, one file each, cluster.ts): a
// passing answer with an error behind it (an unhandled rejection, Next's "⨯" line, a pino
// error) is still a bug.

const ERROR_LINE = /"level":(50|60)\b|⨯|Unhandled|uncaught|TypeError|ReferenceError/i

export function logSizes(dir: string): Map<string, number> {
  return new Map(readdirSync(dir).filter((name) => name.endsWith('.log')).map((name) => [name, statSync(path.join(dir, name)).size]))
}

/** The error lines the instances logged since `sizes` was taken. */
export function serverErrorsSince(dir: string, sizes: Map<string, number>): string[] {
  const lines: string[] = []
  for (const [name, size] of logSizes(dir)) {
    const from = sizes.get(name) ?? 0
    if (size <= from) continue
    const buffer = Buffer.alloc(size - from)
    const fd = openSync(path.join(dir, name), 'r')
    readSync(fd, buffer, 0, buffer.length, from)
    closeSync(fd)
    for (const line of buffer.toString('utf8').split('\n')) if (ERROR_LINE.test(line)) lines.push(`${name}: ${line.slice(0, 300)}`)
  }
  return lines
}
