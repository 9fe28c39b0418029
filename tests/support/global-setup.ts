import type { TestProject } from 'vitest/node'
import { startRestBridge } from './rest-bridge'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Upstash REST bridge to REDIS_URL; empty when REDIS_URL is not set. */
    kvRestUrl: string
    kvRestToken: string
  }
}

// Reads REDIS_URL directly: this runs in the test runner, outside the app's lib/config.ts.
export default async function globalSetup(project: TestProject) {
  const redisUrl = process.env.REDIS_URL
  if (!redisUrl) {
    project.provide('kvRestUrl', '')
    project.provide('kvRestToken', '')
    return
  }
  const bridge = await startRestBridge({ redisUrl })
  project.provide('kvRestUrl', bridge.url)
  project.provide('kvRestToken', bridge.token)
  return () => bridge.close()
}
