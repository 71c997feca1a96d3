import type { IncidentStatus, Severity } from "@/db/schema/incidents";

/** Times in UTC: the same on the server and in every browser, and what on-call logs use. */
export function utc(iso: string | null | undefined, withDate = true): string {
  if (!iso) return "—";
  const s = new Date(iso).toISOString();
  return `${withDate ? s.slice(0, 10) + " " : ""}${s.slice(11, 19)} UTC`;
}

export function age(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d`;
}

export const sevClass: Record<Severity, string> = {
  SEV1: "bg-sev1 text-white dark:text-black",
  SEV2: "border border-sev2 text-sev2",
  SEV3: "border border-sev3 text-sev3",
};

export const statusClass = (s: IncidentStatus) =>
  s === "resolved" || s === "closed" ? "border border-ok text-ok" : "border border-line text-fg";

/** datetime-local value (browser time) → ISO string, so the server never guesses a time zone. */
export function localToIso(value: string): string {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}
