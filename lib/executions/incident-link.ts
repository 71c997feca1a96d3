import "server-only";
import { and, desc, eq, ne, notInArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, type Incident } from "@/db/schema/incidents";
import type { Actor } from "@/lib/actor";
import { ValidationError } from "@/lib/errors";
import { appendEvent, readIncident } from "@/lib/incidents/record";
import { formatNumber } from "@/lib/incidents/state-machine";

// A step run may name the incident it was for. The incident's timeline then tells who ran what,
// where, and how it ended, and the postmortem review takes the run by that link instead of by time.

export const STEP_STARTED_EVENT = "step.started";
export const STEP_FINISHED_EVENT = "step.finished";

/** The incident a run is for: it must exist and not be closed (a closed record is final). */
export async function incidentForRun(db: Db, incidentId: string): Promise<Incident> {
  const incident = await readIncident(db, incidentId);
  if (incident.status === "closed") {
    throw new ValidationError(`${formatNumber(incident.number)} is closed; a run can no longer be added to its record.`, { incidentId: ["Pick an open or resolved incident, or none."] });
  }
  return incident;
}

type RunFacts = { executionId: string; runbookSlug: string; stepId: string; stepTitle: string; environmentName: string };

const stepName = (r: RunFacts) => `step “${r.stepTitle || r.stepId}” of ${r.runbookSlug}`;

/** The incident's status, read with a share lock so closing waits for this transaction. */
async function statusFor(tx: Db, incidentId: string): Promise<string | undefined> {
  const [row] = await tx.select({ status: incidents.status, number: incidents.number }).from(incidents).where(eq(incidents.id, incidentId)).for("share");
  return row?.status;
}

/** In the transaction that stored the run, after its audit entry; refuses a closed incident. */
export async function recordRunStarted(tx: Db, actor: Actor, incidentId: string, run: RunFacts & { host: string | null }) {
  if ((await statusFor(tx, incidentId)) === "closed") {
    throw new ValidationError("The incident was closed meanwhile; a run can no longer be added to its record.", { incidentId: ["Pick an open or resolved incident, or none."] });
  }
  return appendEvent(tx, actor, {
    incidentId,
    kind: STEP_STARTED_EVENT,
    body: `Ran ${stepName(run)} on ${run.environmentName}${run.host ? ` via ${run.host}` : ""}`,
    payload: { executionId: run.executionId, runbook: run.runbookSlug, stepId: run.stepId, environment: run.environmentName },
  });
}

/**
 * In the transaction that stored the outcome, after its audit entry. A closed incident's record
 * is final: the outcome then stays with the execution (which keeps its incident link) only.
 */
export async function recordRunFinished(
  tx: Db,
  actor: Actor,
  incidentId: string,
  run: RunFacts & { state: string; exitCode: number | null; httpStatus: number | null; reason: string | null },
) {
  if ((await statusFor(tx, incidentId)) === "closed") return null;
  const outcome = run.exitCode !== null ? `exit ${run.exitCode}` : run.httpStatus !== null ? `HTTP ${run.httpStatus}` : null;
  const detail = [outcome, run.state === "succeeded" ? null : run.reason].filter(Boolean).join("; ");
  return appendEvent(tx, actor, {
    incidentId,
    kind: STEP_FINISHED_EVENT,
    body: `${stepName(run)[0].toUpperCase()}${stepName(run).slice(1)} ${run.state}${detail ? ` (${detail})` : ""}`,
    payload: { executionId: run.executionId, runbook: run.runbookSlug, stepId: run.stepId, state: run.state, exitCode: run.exitCode, httpStatus: run.httpStatus },
  });
}

export type RunIncidentChoice = { id: string; ref: string; title: string; severity: string; status: string };

const choice = (i: Incident): RunIncidentChoice => ({ id: i.id, ref: formatNumber(i.number), title: i.title, severity: i.severity, status: i.status });

/**
 * What the run form offers: the open incidents (newest first), and the one the page was opened
 * for (`?incident=INC-12`), which may also be resolved, e.g. for a verification run.
 */
export async function incidentChoicesForRun(db: Db, requestedRef?: string): Promise<{ choices: RunIncidentChoice[]; requested: RunIncidentChoice | null }> {
  const open = await db.select().from(incidents).where(notInArray(incidents.status, ["resolved", "closed"])).orderBy(desc(incidents.declaredAt)).limit(50);
  const choices = open.map(choice);
  const number = requestedRef ? /^(?:inc-?)?(\d{1,9})$/i.exec(requestedRef.trim())?.[1] : undefined;
  if (!number) return { choices, requested: null };
  const [row] = await db.select().from(incidents).where(and(eq(incidents.number, Number(number)), ne(incidents.status, "closed"))).limit(1);
  if (!row) return { choices, requested: null };
  const requested = choice(row);
  return { choices: choices.some((c) => c.id === requested.id) ? choices : [requested, ...choices], requested };
}
