import { afterAll, afterEach, beforeEach, expect, vi } from 'vitest'
import { flushRecordedAnswers } from './recorder'

// Tests fail on any console.error (Epic Stack): an unexpected error path is a bug.
let errors: unknown[][] = []
beforeEach(() => {
  errors = []
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args)
  })
})
afterEach(() => {
  vi.useRealTimers()
  if (errors.length > 0) {
    const first = errors[0]!.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ')
    throw new Error(`console.error was called ${errors.length} time(s): ${first}`)
  }
})

// The answers this file's tests got, for tests/openapi.test.ts (tests/support/recorder.ts).
let testFile: string | undefined
beforeEach(() => {
  testFile ??= expect.getState().testPath
})
afterAll(() => flushRecordedAnswers(testFile))
