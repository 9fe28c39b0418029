'use client'

import { useSyncExternalStore } from 'react'
import { chooseTheme, currentTheme, subscribeTheme } from '@/lib/client/theme'

/** A two-state toggle button (APG "Button", aria-pressed): pressed = dark mode. */
export function ThemeToggle() {
  // On the server (and while hydrating) the theme is unknown: render the button unpressed-neutral.
  const theme = useSyncExternalStore(subscribeTheme, currentTheme, () => null)
  const dark = theme === 'dark'
  return (
    <button type="button" className="theme-toggle" aria-pressed={theme === null ? undefined : dark} onClick={() => chooseTheme(dark ? 'light' : 'dark')}>
      <span aria-hidden="true">{dark ? '☾' : '☀'}</span> Dark mode
    </button>
  )
}
