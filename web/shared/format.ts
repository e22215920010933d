/** Formatting shared by the pages. Pure functions: they take the clock as an argument. */

/** `2026-03-01 12:00:00Z`, or '' for no time. */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '';
}

/** How long until a deadline (or how late it is), or when it fired. */
export function timeLeft(
  dueAt: string,
  firedAt: string | null,
  now: number = Date.now(),
): { text: string; late: boolean } {
  if (firedAt) return { text: `fired ${when(firedAt)}`, late: false };
  const ms = new Date(dueAt).getTime() - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const span = `${d ? `${d}d ` : ''}${h}h ${m}m`;
  return ms >= 0
    ? { text: `${span} left`, late: false }
    : { text: `overdue by ${span}`, late: true };
}
