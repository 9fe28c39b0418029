import styles from './spinner.module.css'

/** A small spinning ring. `label` is what a screen reader hears; without it the ring is decoration. */
export function Spinner({ label }: { label?: string }) {
  return label ? (
    <span className={styles.wrap} role="status">
      <span className={styles.ring} aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </span>
  ) : (
    <span className={styles.ring} aria-hidden="true" />
  )
}
