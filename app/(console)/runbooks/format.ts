export function formatTime(d: Date): string {
  return d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}
