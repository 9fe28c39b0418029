import { describe, expect, it } from 'vitest'
import { BearerClient, TestClient, json, signIn } from './support/client'
import { createUser, setupTestApp } from './support/harness'

const app = setupTestApp()

describe('plumbing', () => {
  it('signs in with cookies and with bearer tokens', async () => {
    const user = await createUser(app.db)
    const browser = new TestClient()
    const { response, body } = await signIn(browser, user.email, user.password)
    expect(response.status, JSON.stringify(body)).toBe(200)
    const me = await browser.call('GET', '/api/me', { gate: true })
    expect(me.status).toBe(200)
    const cli = new BearerClient()
    expect((await cli.login(user.email, user.password)).status).toBe(200)
    const me2 = await cli.get('/api/me')
    expect(me2.status).toBe(200)
    expect((await json(me2)).user).toMatchObject({ email: user.email })
  })
})
