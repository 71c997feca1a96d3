import "server-only";
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, type Alert } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { appendEvent, readIncident, recordChange } from "@/lib/incidents/record";
import { publish } from "@/lib/live";
import { parseInput } from "@/lib/validation";
import { ALERTS_CHANNEL } from "./ingest";
import { alertRefSchema, attachSchema } from "./schemas";

/** Beyond this many alerts one attach writes a summary instead of one event per alert. */
const EVENTS_PER_ATTACH = 25;

/** The alert row, locked until the transaction ends (two people declaring at once: one wins). */
export async function readAlert(tx: Db, id: string): Promise<Alert> {
  const [row] = await tx.select().from(alerts).where(eq(alerts.id, id)).limit(1).for("update");
  if (!row) throw new NotFoundError("That alert does not exist.");
  return row;
}

/** The alert and the firing alerts of its group that are not attached anywhere yet, locked. */
export async function groupToAttach(tx: Db, alert: Alert): Promise<Alert[]> {
  return tx
    .select()
    .from(alerts)
    .where(and(isNull(alerts.incidentId), or(eq(alerts.id, alert.id), and(eq(alerts.groupKey, alert.groupKey), eq(alerts.status, "firing")))))
    .for("update");
}

/**
 * Ties alerts to an incident inside the caller's transaction, with their firing (and resolution,
 * if already over) on its timeline at the time they happened. The caller wrote the audit entry.
 */
export async function attachRows(tx: Db, actor: Actor, incidentId: string, rows: Alert[], now = new Date()): Promise<number> {
  if (!rows.length) return 0;
  await tx
    .update(alerts)
    .set({ incidentId, attachedAt: now, attachedBy: actor.email })
    .where(and(isNull(alerts.incidentId), inArray(alerts.id, rows.map((r) => r.id))));
  for (const r of rows.slice(0, EVENTS_PER_ATTACH)) {
    const payload = { alertId: r.id, name: r.name, title: r.title, severity: r.severity, labels: r.labels, sourceId: r.sourceId };
    await appendEvent(tx, actor, { incidentId, kind: "alert.fired", occurredAt: r.startsAt, body: `Alert fired: ${r.title}`, payload });
    if (r.status === "resolved" && r.endsAt) await appendEvent(tx, actor, { incidentId, kind: "alert.resolved", occurredAt: r.endsAt, body: `Alert resolved: ${r.title}`, payload });
  }
  if (rows.length > EVENTS_PER_ATTACH) {
    await appendEvent(tx, actor, { incidentId, kind: "alert.fired", occurredAt: rows[EVENTS_PER_ATTACH].startsAt, body: `${rows.length - EVENTS_PER_ATTACH} more alerts of the same group attached`, payload: { count: rows.length - EVENTS_PER_ATTACH } });
  }
  await publish(tx, ALERTS_CHANNEL, { type: "alerts.attached", incidentId, count: rows.length });
  return rows.length;
}

/** Attaches an alert (and the rest of its firing group) to an open incident. */
export async function attachAlert(ctx: Ctx, input: unknown): Promise<{ attached: number; incidentId: string }> {
  requirePermission(ctx.actor, "alerts.act");
  const { alertId, incidentId } = parseInput(attachSchema, input);
  return ctx.db.transaction(async (tx) => {
    const alert = await readAlert(tx, alertId);
    const incident = await readIncident(tx, incidentId);
    if (incident.status === "resolved" || incident.status === "closed") throw new ValidationError("Attach alerts to an open incident.", { incidentId: ["That incident is no longer open."] });
    if (alert.incidentId) throw new ValidationError(alert.incidentId === incidentId ? "That alert is already attached to this incident." : "That alert is attached to another incident.", { alertId: ["Already attached."] });
    const rows = await groupToAttach(tx, alert);
    await recordChange(
      tx,
      ctx.actor,
      { action: "alert.attach", targetType: "incident", targetId: incidentId, after: { alertIds: rows.map((r) => r.id).slice(0, 100), count: rows.length } },
      { incidentId, kind: "alert.attached", body: `${rows.length === 1 ? "Alert" : `${rows.length} alerts`} attached: ${alert.title}`, payload: { alertId, count: rows.length, name: alert.name, title: alert.title } },
    );
    const attached = await attachRows(tx, ctx.actor, incidentId, rows);
    return { attached, incidentId };
  });
}

/** "I have seen it": acknowledges the alert's firing group. */
export async function acknowledgeAlert(ctx: Ctx, input: unknown): Promise<{ acknowledged: number }> {
  requirePermission(ctx.actor, "alerts.act");
  const { alertId } = parseInput(alertRefSchema, input);
  return ctx.db.transaction(async (tx) => {
    const alert = await readAlert(tx, alertId);
    const now = new Date();
    const rows = await tx
      .update(alerts)
      .set({ ackedAt: now, ackedBy: ctx.actor.email })
      .where(and(isNull(alerts.ackedAt), or(eq(alerts.id, alertId), and(eq(alerts.groupKey, alert.groupKey), eq(alerts.status, "firing")))))
      .returning({ id: alerts.id });
    await writeAudit(tx, { actor: ctx.actor, action: "alert.acknowledge", targetType: "alert", targetId: alertId, after: { groupKey: alert.groupKey, count: rows.length } });
    await publish(tx, ALERTS_CHANNEL, { type: "alerts.acknowledged", id: alertId });
    return { acknowledged: rows.length };
  });
}
