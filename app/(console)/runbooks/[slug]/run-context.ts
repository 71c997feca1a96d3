import "server-only";
import { cache } from "react";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";
import { listRunTargets, type RunTarget } from "@/lib/environments/queries";
import { incidentChoicesForRun, latestCaptures, type RunIncidentChoice } from "@/lib/executions";

export type RunContext = { targets: RunTarget[]; defaults: Record<string, string>; incidents: RunIncidentChoice[]; forIncident: RunIncidentChoice | null };

/**
 * What a runbook page needs to offer the run button: null for roles that may not run steps (they
 * get no button at all, and nothing is recorded as refused, unlike pageContext). Cached per
 * request, so every step card of a page shares one lookup.
 */
export const runContextFor = cache(async (runbookSlug: string, incidentRef?: string): Promise<RunContext | null> => {
  const actor = await getActor();
  if (!actor || !can(actor.role, "steps.run")) return null;
  const db = await getDb();
  const [targets, defaults, incidents] = await Promise.all([listRunTargets({ actor, db }), latestCaptures(db, runbookSlug), incidentChoicesForRun(db, incidentRef)]);
  return { targets, defaults, incidents: incidents.choices, forIncident: incidents.requested };
});
