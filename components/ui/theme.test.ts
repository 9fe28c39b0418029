// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { chooseTheme, currentThemeChoice, subscribeTheme, THEME_KEY, THEME_SCRIPT } from './theme'

// No data-theme on <html> = globals.css follows prefers-color-scheme; these tests watch the attribute.
const html = document.documentElement
const runHeadScript = () => new Function(THEME_SCRIPT)()

/** What another tab's write looks like here. */
function otherTabWrites(value: string | null, key: string | null = THEME_KEY) {
  if (key !== null) {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  }
  window.dispatchEvent(new StorageEvent('storage', { key, newValue: value }))
}

// Subscriptions end even when a test fails midway, so none leaks into the next test.
const stops: (() => void)[] = []
const subscribe = (listener: () => void) => {
  const stop = subscribeTheme(listener)
  stops.push(stop)
  return stop
}

afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  localStorage.clear()
  html.removeAttribute('data-theme')
  vi.restoreAllMocks()
})

describe('SPEC §9 dark mode: system default + toggle, remembered', () => {
  it('follows the system while nothing is chosen', () => {
    expect(currentThemeChoice()).toBe('system')
    runHeadScript()
    expect(html.hasAttribute('data-theme')).toBe(false)
  })

  it('a choice wins over the system, is stored, and tells subscribers', () => {
    const listener = vi.fn()
    subscribe(listener)
    chooseTheme('dark')
    expect(currentThemeChoice()).toBe('dark')
    expect(html.getAttribute('data-theme')).toBe('dark')
    expect(localStorage.getItem(THEME_KEY)).toBe('dark')
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('the pre-paint script applies a stored choice and ignores anything else', () => {
    localStorage.setItem(THEME_KEY, 'dark')
    runHeadScript()
    expect(html.getAttribute('data-theme')).toBe('dark')
    html.removeAttribute('data-theme')
    localStorage.setItem(THEME_KEY, '"><script>')
    runHeadScript()
    expect(html.hasAttribute('data-theme')).toBe(false)
  })
})

describe('SPEC §9 dark mode: back to the system default', () => {
  it('"system" forgets the choice, so the system is followed again, now and after a reload', () => {
    const listener = vi.fn()
    subscribe(listener)
    chooseTheme('light')
    chooseTheme('system')
    expect(currentThemeChoice()).toBe('system')
    expect(html.hasAttribute('data-theme')).toBe(false)
    expect(localStorage.getItem(THEME_KEY)).toBeNull()
    expect(listener).toHaveBeenCalledTimes(2)
    // What the next page load's <head> script sees: nothing chosen, nothing applied.
    runHeadScript()
    expect(html.hasAttribute('data-theme')).toBe(false)
  })

  it('a choice holds for the page even where storage fails (private mode)', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('QuotaExceededError')
    })
    chooseTheme('dark')
    expect(currentThemeChoice()).toBe('dark')
    chooseTheme('system')
    expect(currentThemeChoice()).toBe('system')
  })
})

describe('SPEC §9 dark mode: every tab follows the choice', () => {
  it('another tab choosing a theme, then "system", applies here and tells subscribers', () => {
    const listener = vi.fn()
    subscribe(listener)
    otherTabWrites('dark')
    expect(html.getAttribute('data-theme')).toBe('dark')
    expect(currentThemeChoice()).toBe('dark')
    otherTabWrites(null)
    expect(currentThemeChoice()).toBe('system')
    expect(html.hasAttribute('data-theme')).toBe(false)
    expect(listener).toHaveBeenCalledTimes(2)
  })

  it('another tab clearing all storage means no choice is left', () => {
    chooseTheme('dark')
    subscribe(() => {})
    localStorage.clear()
    otherTabWrites(null, null)
    expect(currentThemeChoice()).toBe('system')
  })

  it('other keys and a stopped subscription change nothing', () => {
    const listener = vi.fn()
    const stop = subscribe(listener)
    otherTabWrites('x', 'njjwt.session-clock')
    expect(listener).not.toHaveBeenCalled()
    stop()
    otherTabWrites('dark')
    expect(listener).not.toHaveBeenCalled()
    expect(html.hasAttribute('data-theme')).toBe(false)
  })
})
