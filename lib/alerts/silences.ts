import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { alertSilences, alertSources, alerts, type AlertSilence, type LabelMatcher } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { publish } from "@/lib/live";
import { log } from "@/lib/log";
import { parseInput } from "@/lib/validation";
import { createAlertmanagerSilence, expireAlertmanagerSilence } from "./alertmanager-api";
import { ALERTS_CHANNEL } from "./ingest";
import { expireSilenceSchema, silenceSchema } from "./schemas";

const toMatchers = (labels: Record<string, string>): LabelMatcher[] => Object.entries(labels).map(([label, value]) => ({ label, op: "=", value }));

/**
 * Silences an alert (its exact labels) or its group (the group labels) here for a while, and
 * optionally in the source's Alertmanager too. Alertmanager is asked first, outside the
 * transaction; its answer or its error is stored with the silence.
 */
export async function silenceAlert(ctx: Ctx, input: unknown, now = new Date()): Promise<AlertSilence> {
  requirePermission(ctx.actor, "alerts.act");
  const data = parseInput(silenceSchema, input);
  const [alert] = await ctx.db.select().from(alerts).where(eq(alerts.id, data.alertId)).limit(1);
  if (!alert) throw new NotFoundError("That alert does not exist.");
  const labels = data.scope === "group" && Object.keys(alert.groupLabels).length ? alert.groupLabels : alert.labels;
  const matchers = toMatchers(labels);
  if (!matchers.length) throw new ValidationError("This alert has no labels to silence by.");
  const endsAt = new Date(now.getTime() + data.durationMinutes * 60_000);
  const [source] = await ctx.db.select().from(alertSources).where(eq(alertSources.id, alert.sourceId)).limit(1);
  let externalId: string | null = null;
  let externalError: string | null = null;
  if (data.alsoInAlertmanager) {
    if (!source?.alertmanagerUrl) throw new ValidationError("This alert's source has no Alertmanager URL.", { alsoInAlertmanager: ["Set the Alertmanager URL on the source first."] });
    try {
      externalId = await createAlertmanagerSilence(source.alertmanagerUrl, { matchers, startsAt: now, endsAt, createdBy: ctx.actor.email, comment: `${data.comment} (from Sitrep)` });
    } catch (error) {
      externalError = error instanceof Error ? error.message : String(error);
      log.warn("alerts.alertmanager_silence_failed", { sourceId: source.id, error: externalError });
    }
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alertSilences)
      .values({ matchers, comment: data.comment, startsAt: now, endsAt, createdBy: ctx.actor.email, alertId: alert.id, sourceId: data.alsoInAlertmanager ? alert.sourceId : null, externalId, externalError })
      .returning();
    await writeAudit(tx, { actor: ctx.actor, action: "alert.silence", targetType: "alert_silence", targetId: row.id, after: { alertId: alert.id, matchers, endsAt: endsAt.toISOString(), comment: data.comment, alertmanagerSilenceId: externalId, alertmanagerError: externalError } });
    await publish(tx, ALERTS_CHANNEL, { type: "alerts.silenced", id: row.id });
    return row;
  });
}

/** Ends a silence early, here and (when it was made there) in Alertmanager. */
export async function expireSilence(ctx: Ctx, input: unknown, now = new Date()): Promise<AlertSilence> {
  requirePermission(ctx.actor, "alerts.act");
  const { silenceId } = parseInput(expireSilenceSchema, input);
  const [silence] = await ctx.db.select().from(alertSilences).where(eq(alertSilences.id, silenceId)).limit(1);
  if (!silence) throw new NotFoundError("That silence does not exist.");
  let externalError: string | null = null;
  if (silence.externalId && silence.sourceId) {
    const [source] = await ctx.db.select().from(alertSources).where(eq(alertSources.id, silence.sourceId)).limit(1);
    if (source?.alertmanagerUrl) {
      try {
        await expireAlertmanagerSilence(source.alertmanagerUrl, silence.externalId);
      } catch (error) {
        externalError = error instanceof Error ? error.message : String(error);
      }
    }
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(alertSilences)
      .set({ expiredAt: now, expiredBy: ctx.actor.email, externalError: externalError ?? silence.externalError })
      .where(and(eq(alertSilences.id, silenceId), isNull(alertSilences.expiredAt)))
      .returning();
    if (!row) throw new ValidationError("That silence has already ended.");
    await writeAudit(tx, { actor: ctx.actor, action: "alert.silence.expire", targetType: "alert_silence", targetId: silenceId, before: { endsAt: silence.endsAt.toISOString() }, after: { expiredAt: now.toISOString(), alertmanagerError: externalError } });
    await publish(tx, ALERTS_CHANNEL, { type: "alerts.unsilenced", id: silenceId });
    return row;
  });
}
