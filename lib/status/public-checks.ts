import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { IncidentStatus, Severity } from "@/db/schema/incidents";
import { publicUpdates, statusComponents, statusReminderCadences, type AffectedComponent, type PublicUpdateStatus } from "@/db/schema/status";
import { users } from "@/db/schema/users";
import { ValidationError } from "@/lib/errors";
import { describeFindings, findSensitive, type Finding } from "./public-text";

// The server's own checks on what goes public. Each refuses with a field error naming the
// confirmation that lets the author go ahead; the form shows the same findings as they type.
// This file reads only tables (no other area's code), so lib/incidents may use it.

const PUBLIC_LABELS: Record<PublicUpdateStatus, string> = { investigating: "Investigating", identified: "Identified", monitoring: "Monitoring", resolved: "Resolved" };

/** What the status page says about an incident now: its latest published, not retracted update (null: never public). */
export async function publicStatusOf(db: Db, incidentId: string): Promise<PublicUpdateStatus | null> {
  const [latest] = await db
    .select({ status: publicUpdates.status })
    .from(publicUpdates)
    .where(and(eq(publicUpdates.incidentId, incidentId), eq(publicUpdates.draft, false), isNull(publicUpdates.retractedAt)))
    .orderBy(desc(publicUpdates.publishedAt))
    .limit(1);
  return latest?.status ?? null;
}

/** Closing while the status page still shows the incident as open would leave stakeholders behind. */
export async function requirePublicResolved(db: Db, incidentId: string, field = "to"): Promise<void> {
  const status = await publicStatusOf(db, incidentId);
  if (status && status !== "resolved") {
    const msg = `The status page still shows this incident as ${PUBLIC_LABELS[status]}. Publish the final public update (status Resolved) on the Public updates tab before closing.`;
    throw new ValidationError(msg, { [field]: [msg] });
  }
}

/** Names of the console's people: the check flags them in public text. */
export async function peopleNames(db: Db): Promise<string[]> {
  return (await db.select({ name: users.name }).from(users)).map((u) => u.name).filter((n): n is string => !!n);
}

export async function cadenceOf(db: Db, severity: Severity): Promise<number | null> {
  const [row] = await db.select({ minutes: statusReminderCadences.minutes }).from(statusReminderCadences).where(eq(statusReminderCadences.severity, severity));
  return row?.minutes ?? null;
}

/** Runs the check before publish on the public texts; refuses unless the author confirmed. */
export async function checkPublicText(db: Db, severity: Severity, texts: string[], confirmed: boolean): Promise<Finding[]> {
  const options = { people: await peopleNames(db), cadenceMinutes: await cadenceOf(db, severity) };
  const findings = texts.flatMap((t) => findSensitive(t, options));
  if (findings.length && !confirmed) {
    const msg = `Everyone can read this. It contains ${describeFindings(findings)}. Change the text, or confirm to publish it as it is.`;
    throw new ValidationError(msg, { confirmSensitive: [msg] });
  }
  return findings;
}

/**
 * "All systems operational" above a live incident contradicts it: publishing an update that leaves
 * every component operational while the incident is open needs the author's confirmation.
 */
export async function checkNotAllOperational(
  db: Db,
  incidentStatus: IncidentStatus,
  update: { status: PublicUpdateStatus; components: AffectedComponent[] },
  confirmed: boolean,
): Promise<boolean> {
  if (update.status === "resolved" || incidentStatus === "resolved" || incidentStatus === "closed" || confirmed) return false;
  const components = await db.select({ id: statusComponents.id, state: statusComponents.state }).from(statusComponents).where(isNull(statusComponents.archivedAt));
  if (!components.length) return false;
  const after = new Map(components.map((c) => [c.id, c.state as string]));
  for (const c of update.components) if (after.has(c.componentId)) after.set(c.componentId, c.state);
  if ([...after.values()].some((s) => s !== "operational")) return false;
  const msg = "Every component would show Operational, so the page would read “All systems operational” while the incident is open. Mark the affected components, or confirm that nothing public is affected.";
  throw new ValidationError(msg, { confirmOperational: [msg] });
}
