import type { ReactNode } from 'react'

// A data table that scrolls inside its own region at narrow widths (the page never scrolls
// sideways, WCAG 1.4.10), focusable so keyboard users can scroll it, named by its caption.
// No hooks: server and client components use it alike; `id` names the caption.

export function ScrollTable({ id, caption, children }: { id: string; caption: ReactNode; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table className="data-table">
        <caption id={`${id}-caption`}>{caption}</caption>
        {children}
      </table>
    </div>
  )
}
