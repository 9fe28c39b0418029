// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { chooseTheme, currentTheme, subscribeTheme, THEME_KEY, THEME_SCRIPT } from './theme'

const matchMedia = (dark: boolean) => vi.fn(() => ({ matches: dark, addEventListener: vi.fn(), removeEventListener: vi.fn() }))

afterEach(() => {
  localStorage.clear()
  document.documentElement.removeAttribute('data-theme')
  vi.unstubAllGlobals()
})

describe('SPEC §9 dark mode: system default + toggle, remembered', () => {
  it('follows the system while nothing is chosen', () => {
    vi.stubGlobal('matchMedia', matchMedia(true))
    expect(currentTheme()).toBe('dark')
    vi.stubGlobal('matchMedia', matchMedia(false))
    expect(currentTheme()).toBe('light')
  })

  it('a choice wins over the system, is stored, and tells subscribers', () => {
    vi.stubGlobal('matchMedia', matchMedia(false))
    const listener = vi.fn()
    const stop = subscribeTheme(listener)
    chooseTheme('dark')
    expect(currentTheme()).toBe('dark')
    expect(localStorage.getItem(THEME_KEY)).toBe('dark')
    expect(listener).toHaveBeenCalledTimes(1)
    stop()
  })

  it('the pre-paint script applies a stored choice and ignores anything else', () => {
    localStorage.setItem(THEME_KEY, 'dark')
    new Function(THEME_SCRIPT)()
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark')
    document.documentElement.removeAttribute('data-theme')
    localStorage.setItem(THEME_KEY, '"><script>')
    new Function(THEME_SCRIPT)()
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false)
  })
})
