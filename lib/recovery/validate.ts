import "server-only";
import { z } from "zod";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, evidenceArtifacts, freezes, recoveryChecks, type RecoveryCheck } from "@/db/schema";
import { durationWords } from "@/lib/alerts/format";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { ValidationError } from "@/lib/errors";
import { requireEnvironment } from "@/lib/environments/queries";
import { readIncident, recordChange } from "@/lib/incidents/record";
import { tickItemsProvenByRecovery } from "@/lib/incidents/recovery-ticks";
import { runtimeApi, type RuntimeApi } from "@/lib/runtime-api";
import { listRules } from "@/lib/triggers/rules";
import { parseInput } from "@/lib/validation";

export const RECOVERY_SIGNALS = ["api_success_rate", "queue_depth_trend", "terminal_error_rate", "audit_anomalies", "smoke_flow", "alerts_resolved"] as const;
export type RecoverySignal = (typeof RECOVERY_SIGNALS)[number];
export type RecoveryResult = { check: RecoverySignal; passed: boolean; detail: string };

/** How long every attached alert must have stayed resolved before recovery counts (minutes). */
export const ALERTS_QUIET_MINUTES = 10;

export const validateSchema = z.object({
  incidentId: z.string().uuid(),
  // Without an environment only the attached-alerts check runs (an incident from an external alert).
  environmentId: z.preprocess((v) => (v === "" ? undefined : v), z.string().uuid().optional()),
  alertsQuietMinutes: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).max(1440).optional()),
});
export const overrideSchema = z.object({ incidentId: z.string().uuid(), reason: z.string().trim().min(3, "Say why resolving without a passed validation is right.").max(2000) });

export type ValidateOptions = { sampleGapMs?: number; probes?: number; successRate?: number; queueFloor?: number; now?: Date };

/**
 * "All attached alerts resolved for N minutes": null when the incident has no attached alerts.
 * Judged from the alerts as stored now, never from an earlier verdict.
 */
export async function alertsResolvedCheck(db: Db, incidentId: string, quietMinutes: number, now = new Date()): Promise<RecoveryResult | null> {
  const rows = await db.select({ title: alerts.title, status: alerts.status, endsAt: alerts.endsAt }).from(alerts).where(eq(alerts.incidentId, incidentId));
  if (!rows.length) return null;
  const firing = rows.filter((r) => r.status === "firing");
  if (firing.length) {
    return { check: "alerts_resolved", passed: false, detail: `${firing.length} of ${rows.length} attached alerts still firing: ${firing.slice(0, 5).map((r) => r.title).join(", ")}` };
  }
  const last = Math.max(...rows.map((r) => r.endsAt?.getTime() ?? now.getTime()));
  const quietMs = now.getTime() - last;
  const passed = quietMs >= quietMinutes * 60_000;
  return { check: "alerts_resolved", passed, detail: `all ${rows.length} attached alerts resolved for ${durationWords(quietMs)} (need ${durationWords(quietMinutes * 60_000)})` };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function smokeFlow(client: RuntimeApi): Promise<RecoveryResult> {
  const tenant = `sitrep-smoke-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const job = await client.runJob({ tenant, payload: { smoke: true } });
    const inspected = await client.inspectJob(job.job_id);
    const polled = await client.poll({ worker_id: "sitrep-recovery", tenant });
    if (!("job" in polled) || !polled.job) return { check: "smoke_flow", passed: false, detail: `run and inspect worked (job ${inspected.job_id}), but poll answered noop: ${String((polled as { reason?: unknown }).reason)}` };
    const leased = polled.job as { job_id: string; lease_id: string };
    const acked = await client.ack({ job_id: leased.job_id, lease_id: leased.lease_id, outcome: "succeeded", worker_id: "sitrep-recovery" });
    return { check: "smoke_flow", passed: acked.job.status === "succeeded", detail: `run → inspect → poll → ack: job ${job.job_id} ended ${acked.job.status}` };
  } catch (error) {
    return { check: "smoke_flow", passed: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** Seed 002 §6 against the environment's runtime API, as it is now. */
export async function runRecoveryChecks(baseUrl: string, operatorToken: string | null, baseline: number, options: ValidateOptions = {}): Promise<RecoveryResult[]> {
  const client = runtimeApi({ baseUrl, operatorToken, timeoutMs: 5_000 });
  const started = new Date();
  const gap = options.sampleGapMs ?? 3_000;
  const probes = options.probes ?? 10;
  const results: RecoveryResult[] = [];
  const before = await client.metrics().catch((e: Error) => e);

  let ok = 0;
  for (let i = 0; i < probes; i++) {
    try {
      await client.jobs(1);
      ok += 1;
    } catch {
      // counted as a failure
    }
  }
  const rate = ok / probes;
  const minRate = options.successRate ?? 0.95;
  results.push({ check: "api_success_rate", passed: rate >= minRate, detail: `${ok}/${probes} API requests succeeded (${(rate * 100).toFixed(0)}%, need ${(minRate * 100).toFixed(0)}%)` });

  await sleep(gap);
  const after = await client.metrics().catch((e: Error) => e);
  if (before instanceof Error || after instanceof Error) {
    const msg = (before instanceof Error ? before : (after as Error)).message;
    results.push({ check: "queue_depth_trend", passed: false, detail: `metrics unavailable: ${msg}` });
    results.push({ check: "terminal_error_rate", passed: false, detail: `metrics unavailable: ${msg}` });
  } else {
    const d1 = before.signals.oris_runtime_queue_depth ?? 0;
    const d2 = after.signals.oris_runtime_queue_depth ?? 0;
    const floor = options.queueFloor ?? 10;
    results.push({ check: "queue_depth_trend", passed: d2 <= d1 || d2 <= floor, detail: `queue depth ${d1} → ${d2} over ${gap} ms (stable or falling, or at most ${floor})` });
    const ter = after.signals.oris_runtime_terminal_error_rate ?? 0;
    results.push({ check: "terminal_error_rate", passed: ter <= baseline, detail: `terminal error rate ${ter.toFixed(3)} (baseline ${baseline})` });
  }

  try {
    const { entries } = await client.auditLogs(200);
    const anomalies = entries.filter((e) => e.action === "lease.expired" && typeof e.at === "string" && new Date(e.at) >= started);
    results.push({ check: "audit_anomalies", passed: anomalies.length === 0, detail: anomalies.length ? `${anomalies.length} lease expiries during the check` : "no lease expiries during the check" });
  } catch (error) {
    results.push({ check: "audit_anomalies", passed: false, detail: error instanceof Error ? error.message : String(error) });
  }

  results.push(await smokeFlow(client));
  return results;
}

/** Runs the check for an incident; the result goes on the timeline and gates "resolved". */
export async function validateRecovery(ctx: Ctx, input: unknown, options: ValidateOptions = {}): Promise<RecoveryCheck> {
  requirePermission(ctx.actor, "recovery.run");
  const { incidentId, environmentId, alertsQuietMinutes } = parseInput(validateSchema, input);
  await readIncident(ctx.db, incidentId);
  const environment = environmentId ? await requireEnvironment(ctx.db, environmentId) : null;
  const baseline = (await listRules(ctx.db)).find((r) => r.key === "terminal_error_rate")?.threshold ?? 0.1;
  const results = environment ? await runRecoveryChecks(environment.runtimeBaseUrl, environment.runtimeToken, baseline, options) : [];
  const alertCheck = await alertsResolvedCheck(ctx.db, incidentId, alertsQuietMinutes ?? ALERTS_QUIET_MINUTES, options.now);
  if (alertCheck) results.push(alertCheck);
  if (!results.length) throw new ValidationError("Choose the environment to validate; this incident has no attached alerts to judge.", { environmentId: ["Choose an environment."] });
  const where = environment ? ` on ${environment.name}` : "";
  const passed = results.every((r) => r.passed);
  const failing = results.filter((r) => !r.passed).map((r) => r.check);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(recoveryChecks).values({ incidentId, environmentId, passed, results, ranBy: ctx.actor.email }).returning();
    await recordChange(
      tx,
      ctx.actor,
      { action: "recovery.validate", targetType: "incident", targetId: incidentId, after: { checkId: row.id, passed, failing } },
      {
        incidentId,
        kind: "recovery.validated",
        body: passed ? `Recovery validation passed${where}` : `Recovery validation failed${where}: ${failing.join(", ")}`,
        payload: { checkId: row.id, environmentId, passed, failing, results },
      },
    );
    await tickItemsProvenByRecovery(tx, ctx.actor, incidentId, row);
    return row;
  });
}

/** A commander resolves without a passed validation, with a reason (audited, on the timeline). */
export async function overrideRecovery(ctx: Ctx, input: unknown): Promise<RecoveryCheck> {
  requirePermission(ctx.actor, "recovery.override");
  const { incidentId, reason } = parseInput(overrideSchema, input);
  await readIncident(ctx.db, incidentId);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(recoveryChecks).values({ incidentId, passed: true, override: true, reason, results: [], ranBy: ctx.actor.email }).returning();
    await recordChange(
      tx,
      ctx.actor,
      { action: "recovery.override", targetType: "incident", targetId: incidentId, after: { checkId: row.id, reason } },
      { incidentId, kind: "recovery.overridden", body: `Recovery validation overridden: ${reason}`, payload: { checkId: row.id, reason } },
    );
    return row;
  });
}

export async function recoveryChecksFor(db: Db, incidentId: string): Promise<RecoveryCheck[]> {
  return db.select().from(recoveryChecks).where(eq(recoveryChecks.incidentId, incidentId)).orderBy(desc(recoveryChecks.ranAt));
}

/**
 * The gate for "resolved": an incident tied to an environment by triage (an attached alert,
 * evidence, a freeze or a validation run) needs its latest recovery validation passed or overridden.
 * Incidents with no environment are not gated. Returns null when allowed, else the reason.
 */
export async function recoveryGate(db: Db, incidentId: string): Promise<string | null> {
  const [latest] = await recoveryChecksFor(db, incidentId);
  if (latest) return latest.passed ? null : `The latest recovery validation failed (${latest.results.filter((r) => !r.passed).map((r) => r.check).join(", ")}). Fix it and run it again, or override with a reason.`;
  const tied =
    (await db.select({ id: evidenceArtifacts.id }).from(evidenceArtifacts).where(eq(evidenceArtifacts.incidentId, incidentId)).limit(1)).length > 0 ||
    (await db.select({ id: freezes.id }).from(freezes).where(eq(freezes.incidentId, incidentId)).limit(1)).length > 0 ||
    (await db.select({ id: alerts.id }).from(alerts).where(eq(alerts.incidentId, incidentId)).limit(1)).length > 0;
  return tied ? "Run recovery validation (seed 002 §6) before resolving, or override with a reason." : null;
}

/** Throws the ValidationError the status change shows when the gate is closed. */
export async function requireRecoveryValidated(db: Db, incidentId: string): Promise<void> {
  const reason = await recoveryGate(db, incidentId);
  if (reason) throw new ValidationError(reason, { to: [reason] });
}
