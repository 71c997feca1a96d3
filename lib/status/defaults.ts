import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { severities, type Severity } from "@/db/schema/incidents";
import { publicUpdateStatuses, statusReminderCadences, statusSettings, statusSnapshots, statusTemplates, type PublicUpdateStatus } from "@/db/schema/status";
import { storeSnapshot } from "./snapshot";

// Starting text for updates; admins rewrite these on the status admin page. Plain words for
// people outside the team, no internal detail. `{next_update}` becomes the promise the severity's
// cadence keeps ("within 30 minutes"), so a template never promises what the team will not do.
const OPENERS: Record<Severity, string> = {
  SEV1: "A large part of the service is affected.",
  SEV2: "Part of the service is affected.",
  SEV3: "A small part of the service is affected.",
};
const BODIES: Record<PublicUpdateStatus, string> = {
  investigating: "We are looking into reports of a problem and will share more as soon as we know it. {next_update}",
  identified: "We have found the cause and are working on a fix. Some requests may still fail or be slow until it is in place. {next_update}",
  monitoring: "A fix is in place and things are recovering. We are watching closely to make sure the problem does not come back. {next_update}",
  resolved: "This incident is resolved: the problem is fixed and the service is working normally again. Thank you for your patience.",
};

export const DEFAULT_CADENCE_MINUTES: Record<Severity, number | null> = { SEV1: 30, SEV2: 60, SEV3: null };

export function defaultTemplate(severity: Severity, status: PublicUpdateStatus): string {
  // Only a live problem opens with how much is affected; monitoring and resolved say how it stands.
  return status === "investigating" || status === "identified" ? `${OPENERS[severity]} ${BODIES[status]}` : BODIES[status];
}

/** The first defaults: "within the hour" whatever the cadence, and a Resolved text that opened with the impact. */
const LEGACY_BODIES: Record<PublicUpdateStatus, string> = {
  investigating: "We are looking into reports of a problem and will share more as soon as we know it. Next update within the hour or sooner.",
  identified: "We have found the cause and are working on a fix. Some requests may still fail or be slow until it is in place.",
  monitoring: "A fix is in place and things are recovering. We are watching closely to make sure the problem does not come back.",
  resolved: "The problem is fixed and the service is working normally again. Thank you for your patience.",
};

/** Settings row, templates, cadences and a first snapshot; safe to run on every start. */
export async function ensureStatusDefaults(db: Db): Promise<void> {
  await db.insert(statusSettings).values({ id: 1 }).onConflictDoNothing();
  await db
    .insert(statusTemplates)
    .values(severities.flatMap((severity) => publicUpdateStatuses.map((status) => ({ severity, status, body: defaultTemplate(severity, status) }))))
    .onConflictDoNothing();
  // Templates nobody edited since the first defaults move to the current ones.
  for (const severity of severities) {
    for (const status of publicUpdateStatuses) {
      await db
        .update(statusTemplates)
        .set({ body: defaultTemplate(severity, status) })
        .where(and(eq(statusTemplates.severity, severity), eq(statusTemplates.status, status), eq(statusTemplates.body, `${OPENERS[severity]} ${LEGACY_BODIES[status]}`)));
    }
  }
  await db
    .insert(statusReminderCadences)
    .values(severities.map((severity) => ({ severity, minutes: DEFAULT_CADENCE_MINUTES[severity] })))
    .onConflictDoNothing();
  const [any] = await db.select({ id: statusSnapshots.id }).from(statusSnapshots).limit(1);
  if (!any) await db.transaction((tx) => storeSnapshot(tx, "first start").then(() => undefined));
}
