/** "2026-03-01 10:07:00 UTC": the one zone everybody in a review shares. */
export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export function humanState(s: string): string {
  return s.replace(/_/g, " ");
}
