'use client'

import { useId, useSyncExternalStore } from 'react'
import { chooseTheme, currentThemeChoice, subscribeTheme, type ThemeChoice } from './theme'
import styles from './theme-toggle.module.css'

const CHOICES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

const isChoice = (value: string): value is ThemeChoice => CHOICES.some((choice) => choice.value === value)

/**
 * Theme: System / Light / Dark, a native labelled select (keyboard and screen readers know it;
 * narrow enough for the header at 360 px). "System" forgets the choice and follows the OS again.
 */
export function ThemeToggle() {
  const id = useId()
  // The server cannot read localStorage: until hydration the choice is unknown and a change
  // would do nothing, so the select waits, disabled.
  const choice = useSyncExternalStore(subscribeTheme, currentThemeChoice, () => null)
  const onChange = (value: string) => {
    if (isChoice(value)) chooseTheme(value)
  }
  return (
    <div className={styles.theme}>
      <label htmlFor={id}>Theme</label>
      <select id={id} value={choice ?? 'system'} disabled={choice === null} onChange={(event) => onChange(event.target.value)}>
        {CHOICES.map(({ value, label }) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  )
}
