import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checklistTemplates, sevDefinitions, type ChecklistKind, type Severity } from "@/db/schema/incidents";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";

// Starting text only: admins rewrite both on the settings pages, and once the runbook library
// supplies checklists, templates can point at a runbook revision instead.

export const DEFAULT_SEV_DEFINITIONS: Record<Severity, { name: string; description: string; responseExpectation: string }> = {
  SEV1: {
    name: "Critical",
    description:
      "A core capability is down or wrong for most customers, data may be lost or exposed, or the damage is growing by the minute.",
    responseExpectation: "Commander engaged within 5 minutes, everyone needed is pulled in, stakeholders updated at least every 30 minutes.",
  },
  SEV2: {
    name: "Major",
    description:
      "An important capability is degraded or failing for a noticeable share of customers, but the damage is contained or a workaround exists.",
    responseExpectation: "Commander engaged within 15 minutes, stakeholders updated at least hourly.",
  },
  SEV3: {
    name: "Minor",
    description:
      "Limited impact: a small group of customers, a non-critical feature or an internal tool, with no risk to data.",
    responseExpectation: "Handled during working hours unless it gets worse; update when the state changes.",
  },
};

export const DEFAULT_CHECKLISTS: Record<ChecklistKind, { title: string; description: string; items: string[] }> = {
  first_five_minutes: {
    title: "First five minutes",
    description: "Orient before acting.",
    items: [
      "Name the part of the system that is hurting (API, workers, storage, control plane)",
      "Size the damage: affected work, queue depth, error rate, worker capacity",
      "Hold risky manual operations (replays, schema changes) until the cause is understood",
      "Save evidence before changing anything: logs, a metrics snapshot, the audit log window",
      "Confirm who is commander, scribe and comms lead",
    ],
  },
  recovery_validation: {
    title: "Recovery validation",
    description: "Prove the fix worked before calling it over.",
    items: [
      "API success rate is back to its usual level",
      "Queue depth is flat or shrinking",
      "Terminal errors are back within their usual range",
      "The audit log shows nothing unexpected since the fix",
      "A full smoke run (submit, inspect, worker poll, worker acknowledge) passes",
    ],
  },
  post_incident: {
    title: "Post-incident",
    description: "Must be complete before the incident is closed.",
    items: [
      "The timeline is complete and its key moments are marked",
      "Representative metrics and logs are attached",
      "Every manual operator action is written down",
      "Gaps in documentation, alerts or automation are listed",
      "Follow-up issues exist for anything that could happen again",
    ],
  },
};

/** Inserts the defaults that are missing; safe to run on every start and from several instances. */
export async function ensureIncidentDefaults(db: Db): Promise<{ inserted: number }> {
  return db.transaction(async (tx) => {
    const sevRows = await tx
      .insert(sevDefinitions)
      .values(Object.entries(DEFAULT_SEV_DEFINITIONS).map(([severity, d]) => ({ severity: severity as Severity, ...d })))
      .onConflictDoNothing()
      .returning({ severity: sevDefinitions.severity });
    const listRows = await tx
      .insert(checklistTemplates)
      .values(Object.entries(DEFAULT_CHECKLISTS).map(([kind, d]) => ({ kind: kind as ChecklistKind, ...d })))
      .onConflictDoNothing()
      .returning({ kind: checklistTemplates.kind });
    const inserted = sevRows.length + listRows.length;
    if (inserted > 0) {
      await writeAudit(tx, {
        actor: systemActor(),
        action: "incident.defaults.insert",
        targetType: "incident_settings",
        after: { severities: sevRows.map((r) => r.severity), checklists: listRows.map((r) => r.kind) },
      });
    }
    return { inserted };
  });
}

/** True when both tables already hold every default key (cheap check for the declare path). */
export async function defaultsPresent(db: Db): Promise<boolean> {
  const result = await db.execute(
    sql`select (select count(*) from sev_definitions)::int as s, (select count(*) from checklist_templates)::int as c`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { s: number; c: number }[];
  return rows[0]?.s >= 3 && rows[0]?.c >= 3;
}
