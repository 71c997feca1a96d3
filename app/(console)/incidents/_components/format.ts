import type { IncidentStatus, Severity } from "@/db/schema/incidents";

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
