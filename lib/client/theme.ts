// Dark mode (SPEC §9: system default + toggle, remembered). The choice lives in localStorage;
// an inline script in the root layout's <head> applies it before the first paint, so a page
// never flashes the other theme. No stored choice = follow the system (prefers-color-scheme).

export type Theme = 'light' | 'dark'

export const THEME_KEY = 'njjwt.theme'
const DARK_QUERY = '(prefers-color-scheme: dark)'

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

/** The theme the page shows now: the stored choice, else the system's. */
export function currentTheme(): Theme {
  const chosen = document.documentElement.getAttribute('data-theme')
  if (chosen === 'light' || chosen === 'dark') return chosen
  return window.matchMedia?.(DARK_QUERY).matches ? 'dark' : 'light'
}

export function chooseTheme(theme: Theme) {
  document.documentElement.setAttribute('data-theme', theme)
  try {
    window.localStorage.setItem(THEME_KEY, theme)
  } catch {
    // Private mode: the choice holds for this page only.
  }
  for (const listener of [...listeners]) listener()
}

/** Follows the system, other tabs' choices and this tab's toggle. */
export function subscribeTheme(listener: () => void): () => void {
  const media = window.matchMedia?.(DARK_QUERY)
  const onStorage = (event: StorageEvent) => {
    if (event.key !== THEME_KEY) return
    const theme = storedTheme()
    if (theme) document.documentElement.setAttribute('data-theme', theme)
    else document.documentElement.removeAttribute('data-theme')
    listener()
  }
  listeners.add(listener)
  media?.addEventListener('change', listener)
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    media?.removeEventListener('change', listener)
    window.removeEventListener('storage', onStorage)
  }
}
