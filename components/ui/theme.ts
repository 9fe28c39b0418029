// Dark mode (SPEC §9: system default + toggle, remembered). The choice lives in localStorage;
// an inline script in the root layout's <head> applies it before the first paint, so a page
// never flashes the other theme. No stored choice = follow the system (prefers-color-scheme),
// and choosing "system" removes the stored one, so the system is followed again.

export type Theme = 'light' | 'dark'
export type ThemeChoice = Theme | 'system'

export const THEME_KEY = 'njjwt.theme'

/** Runs before paint, as plain ES5 in <head>: keep it tiny and free of imports. */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});if(t==="light"||t==="dark")document.documentElement.setAttribute("data-theme",t)}catch(e){}})()`

const listeners = new Set<() => void>()

function storedTheme(): Theme | null {
  try {
    const value = window.localStorage.getItem(THEME_KEY)
    return value === 'light' || value === 'dark' ? value : null
  } catch {
    return null
  }
}

/** data-theme on <html> is the page's truth: set from storage before paint, kept even where storage fails. */
function applyTheme(theme: Theme | null) {
  if (theme) document.documentElement.setAttribute('data-theme', theme)
  else document.documentElement.removeAttribute('data-theme')
}

/** What the person chose: a theme, or 'system' while nothing is chosen. */
export function currentThemeChoice(): ThemeChoice {
  const chosen = document.documentElement.getAttribute('data-theme')
  return chosen === 'light' || chosen === 'dark' ? chosen : 'system'
}

export function chooseTheme(choice: ThemeChoice) {
  applyTheme(choice === 'system' ? null : choice)
  try {
    if (choice === 'system') window.localStorage.removeItem(THEME_KEY)
    else window.localStorage.setItem(THEME_KEY, choice)
  } catch {
    // Private mode: the choice holds for this page only.
  }
  for (const listener of [...listeners]) listener()
}

/** Follows other tabs' choices and this tab's own. (Following the system is CSS's job: globals.css.) */
export function subscribeTheme(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    // key null: another tab cleared all storage, so no choice is left.
    if (event.key !== THEME_KEY && event.key !== null) return
    applyTheme(storedTheme())
    listener()
  }
  listeners.add(listener)
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}
