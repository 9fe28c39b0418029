// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSessionClient } from './session-client'
import { openTabChannel, TAB_MESSAGE_KEY, type TabChannel, type TabMessage } from './tab-channel'
import { sessionInfo } from './testing/fake-api'

const opened: TabChannel[] = []
const open = (useBroadcastChannel: boolean) => {
  const channel = openTabChannel({ useBroadcastChannel })
  opened.push(channel)
  return channel
}
afterEach(() => {
  for (const channel of opened.splice(0)) channel.close()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

/** Replays a localStorage write as the `storage` event the browser fires in the *other* tabs. */
function deliverStorageWritesToThisWindow() {
  const setItem = Storage.prototype.setItem
  vi.spyOn(Storage.prototype, 'setItem').mockImplementation(function (this: Storage, key: string, value: string) {
    setItem.call(this, key, value)
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: value }))
  })
}

describe('SPEC §9 across tabs: BroadcastChannel', () => {
  it('a message from one tab reaches the others, not itself', async () => {
    const sender = open(true)
    const receiver = open(true)
    const heardBySender = vi.fn()
    const heard: TabMessage[] = []
    sender.subscribe(heardBySender)
    receiver.subscribe((message) => heard.push(message))

    sender.post({ type: 'signed-out', reason: 'SESSION_REVOKED' })

    await vi.waitFor(() => expect(heard).toEqual([{ type: 'signed-out', reason: 'SESSION_REVOKED' }]))
    expect(heardBySender).not.toHaveBeenCalled()
  })
})

describe('SPEC §9 across tabs: storage-event fallback without BroadcastChannel', () => {
  beforeEach(() => localStorage.clear())

  it('delivers through a localStorage write and leaves nothing behind', () => {
    deliverStorageWritesToThisWindow()
    const sender = open(false)
    const receiver = open(false)
    const heard: TabMessage[] = []
    receiver.subscribe((message) => heard.push(message))
    const session = sessionInfo()

    sender.post({ type: 'refreshed', session })
    sender.post({ type: 'extended' })

    expect(heard).toEqual([{ type: 'refreshed', session }, { type: 'extended' }])
    expect(localStorage.getItem(TAB_MESSAGE_KEY)).toBeNull()
  })

  it('ignores what is not a session message', () => {
    const receiver = open(false)
    const heard = vi.fn()
    receiver.subscribe(heard)
    for (const newValue of ['not json', JSON.stringify({ message: { type: 'format-disk' } }), null]) {
      window.dispatchEvent(new StorageEvent('storage', { key: TAB_MESSAGE_KEY, newValue }))
    }
    window.dispatchEvent(new StorageEvent('storage', { key: 'other', newValue: JSON.stringify({ message: { type: 'extended' } }) }))
    expect(heard).not.toHaveBeenCalled()
  })
})

describe('SPEC §9 another tab’s news applies here', () => {
  beforeEach(() => {
    localStorage.clear()
    vi.stubGlobal('BroadcastChannel', undefined)
  })

  // A fresh client per test: a tab that has heard nothing yet.
  async function loadTab() {
    const { events, clock } = createSessionClient()
    return { ...events, recordSession: clock.record, getSessionClock: clock.get }
  }
  const fromOtherTab = (message: TabMessage) =>
    window.dispatchEvent(new StorageEvent('storage', { key: TAB_MESSAGE_KEY, newValue: JSON.stringify({ message }) }))

  it('a sign-out elsewhere (a revoked session) signs this tab out with the same reason, without echoing it', async () => {
    const tab = await loadTab()
    tab.recordSession(sessionInfo())
    const reasons: string[] = []
    tab.onSignedOut((reason) => reasons.push(reason))
    const stop = tab.followOtherTabs()
    const setItem = vi.spyOn(Storage.prototype, 'setItem')

    fromOtherTab({ type: 'signed-out', reason: 'SESSION_REVOKED' })
    fromOtherTab({ type: 'signed-out', reason: 'SESSION_REVOKED' })
    stop()

    expect(reasons).toEqual(['SESSION_REVOKED'])
    expect(tab.isSignedOut()).toBe(true)
    expect(tab.getSessionClock()).toBeNull()
    expect(setItem.mock.calls.filter(([key]) => key === TAB_MESSAGE_KEY)).toEqual([])
  })

  it('a refresh or sign-in elsewhere updates this tab’s clock', async () => {
    const tab = await loadTab()
    const stop = tab.followOtherTabs()
    const session = sessionInfo({ id: 'new-session' })
    fromOtherTab({ type: 'signed-in', session })
    stop()
    expect(tab.getSessionClock()).toMatchObject({ sessionId: 'new-session', accessExpiresAt: Date.parse(session.accessTokenExpiresAt) })
  })

  it('announcing a session this tab did not know tells the others once', async () => {
    const tab = await loadTab()
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    const session = sessionInfo()
    tab.announceSignedIn(session)
    tab.announceSignedIn(session)
    const sent = setItem.mock.calls.filter(([key]) => key === TAB_MESSAGE_KEY).map(([, value]) => JSON.parse(value).message)
    expect(sent).toEqual([{ type: 'signed-in', session }])
  })
})
