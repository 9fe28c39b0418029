// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it } from 'vitest'
import { THEME_KEY } from './theme'
import { ThemeToggle } from './theme-toggle'

const themeSelect = () => screen.getByRole('combobox', { name: 'Theme' }) as HTMLSelectElement
const html = document.documentElement

afterEach(() => {
  cleanup()
  localStorage.clear()
  html.removeAttribute('data-theme')
})

describe('SPEC §9 dark mode: a labelled choice of System, Light or Dark', () => {
  it('waits, disabled, until hydration can read the choice; then starts on System when nothing is chosen', () => {
    expect(renderToString(<ThemeToggle />)).toMatch(/<select[^>]* disabled=""/)
    render(<ThemeToggle />)
    expect(themeSelect().disabled).toBe(false)
    expect(themeSelect().value).toBe('system')
    expect([...themeSelect().options].map((option) => option.text)).toEqual(['System', 'Light', 'Dark'])
  })

  it('shows the remembered choice the head script applied', () => {
    localStorage.setItem(THEME_KEY, 'dark')
    html.setAttribute('data-theme', 'dark')
    render(<ThemeToggle />)
    expect(themeSelect().value).toBe('dark')
  })

  it('Dark applies and remembers; System forgets, and the page follows the OS again', async () => {
    const user = userEvent.setup()
    render(<ThemeToggle />)
    await user.selectOptions(themeSelect(), 'Dark')
    expect(html.getAttribute('data-theme')).toBe('dark')
    expect(localStorage.getItem(THEME_KEY)).toBe('dark')
    await user.selectOptions(themeSelect(), 'System')
    expect(html.hasAttribute('data-theme')).toBe(false)
    expect(localStorage.getItem(THEME_KEY)).toBeNull()
    expect(themeSelect().value).toBe('system')
  })

  it('follows a choice made in another tab', () => {
    render(<ThemeToggle />)
    act(() => {
      localStorage.setItem(THEME_KEY, 'light')
      window.dispatchEvent(new StorageEvent('storage', { key: THEME_KEY, newValue: 'light' }))
    })
    expect(themeSelect().value).toBe('light')
    expect(html.getAttribute('data-theme')).toBe('light')
  })
})
