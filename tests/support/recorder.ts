import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

// Every answer the test client gets from a route handler or the gate, kept in memory for the
// worker's current test file: tests/openapi.test.ts validates them against GET /api/openapi.json.
// With OPENAPI_RECORDINGS set to a folder, each test file's answers are also written there
// (tests/support/setup.ts), so a whole `npx vitest run` can be checked against the document by
// a second `npx vitest run tests/openapi.test.ts` with the same variable.

export type RecordedAnswer = { file?: string; method: string; path: string; status: number; contentType: string | null; body: unknown }

export const recordedAnswers: RecordedAnswer[] = []

/** Records `response` to `request`. The body is read from a clone: the caller's stays unread. */
export async function recordAnswer(request: Request, response: Response): Promise<void> {
  const contentType = response.headers.get('content-type')
  let body: unknown = null
  if (contentType && /json/.test(contentType)) {
    const text = await response.clone().text()
    try {
      body = text === '' ? null : JSON.parse(text)
    } catch {
      body = text
    }
  }
  recordedAnswers.push({ method: request.method, path: new URL(request.url).pathname, status: response.status, contentType, body })
}

/** Writes this file's answers to OPENAPI_RECORDINGS (if set) and forgets them. */
export function flushRecordedAnswers(testFile: string | undefined): void {
  const dir = process.env.OPENAPI_RECORDINGS
  if (dir && testFile && recordedAnswers.length > 0) {
    mkdirSync(dir, { recursive: true })
    const name = path.relative(process.cwd(), testFile).replaceAll(/[\\/]/g, '__')
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(recordedAnswers.map((answer) => ({ ...answer, file: testFile }))))
  }
  recordedAnswers.length = 0
}
