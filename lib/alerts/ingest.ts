import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { alertSources, alerts, incidents, type AlertSource } from "@/db/schema";
import { systemActor, type Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { appendEvent } from "@/lib/incidents/record";
import { publish } from "@/lib/live";
import { SEVERITY_RANK, type IncomingAlert } from "./model";

export const ALERTS_CHANNEL = "alerts";

export type IngestResult = { received: number; opened: number; repeated: number; resolved: number; ignored: number };

/** The actor recorded for what a source sends: the source itself, never a person. */
export function sourceActor(source: Pick<AlertSource, "id" | "name">, requestId?: string): Actor {
  return { ...systemActor(requestId), userId: "system", email: `source:${source.id}`, name: `Alert source ${source.name}` };
}

/** Last notification per fingerprint wins inside one batch (a storm repeats itself). */
function dedupe(batch: IncomingAlert[]): IncomingAlert[] {
  const byFingerprint = new Map<string, IncomingAlert>();
  for (const a of batch) byFingerprint.set(a.fingerprint, a);
  return [...byFingerprint.values()];
}

/**
 * Stores one batch in one transaction: firing alerts open an episode or refresh the open one
 * (dedupe by fingerprint), resolved ones close it. Attached alerts that resolve go on their
 * incident's timeline. One audit entry and one live notification per batch, so a storm costs
 * a few statements per hundred alerts.
 */
export async function ingestAlerts(db: Db, source: Pick<AlertSource, "id" | "name">, batch: IncomingAlert[], now = new Date(), requestId?: string): Promise<IngestResult> {
  const unique = dedupe(batch);
  const firing = unique.filter((a) => a.status === "firing");
  const resolving = unique.filter((a) => a.status === "resolved");
  const actor = sourceActor(source, requestId);
  return db.transaction(async (tx) => {
    let ignored = 0;
    // A late repeat of an episode that already resolved must not reopen it.
    let stillFiring = firing;
    if (firing.length) {
      const closed = await tx
        .select({ fingerprint: alerts.fingerprint, startsAt: alerts.startsAt })
        .from(alerts)
        .where(and(eq(alerts.sourceId, source.id), eq(alerts.status, "resolved"), inArray(alerts.fingerprint, firing.map((a) => a.fingerprint))));
      const done = new Set(closed.map((c) => `${c.fingerprint}|${c.startsAt.getTime()}`));
      stillFiring = firing.filter((a) => !done.has(`${a.fingerprint}|${a.startsAt.getTime()}`));
      ignored += firing.length - stillFiring.length;
    }
    let opened = 0;
    let repeated = 0;
    if (stillFiring.length) {
      // One jsonb parameter for the whole batch: PostgreSQL unpacks it, so a hundred alerts cost
      // one statement to plan and bind instead of two thousand parameters.
      const values = JSON.stringify(stillFiring.map((a) => row(source.id, a, now)));
      const rows = rowsOf<{ inserted: boolean }>(
        await tx.execute(sql`
          insert into ${alerts} (source_id, fingerprint, name, title, severity, severity_rank, status, labels, annotations, runbook_url, generator_url, group_key, group_labels, starts_at, environment_id, first_received_at, last_received_at)
          select v."sourceId", v.fingerprint, v.name, v.title, v.severity, v."severityRank", 'firing', v.labels, v.annotations, v."runbookUrl", v."generatorUrl", v."groupKey", v."groupLabels", v."startsAt", v."environmentId", v."firstReceivedAt", v."lastReceivedAt"
          from jsonb_to_recordset(${values}::jsonb) as v("sourceId" uuid, fingerprint text, name text, title text, severity text, "severityRank" smallint, labels jsonb, annotations jsonb, "runbookUrl" text, "generatorUrl" text, "groupKey" text, "groupLabels" jsonb, "startsAt" timestamptz, "environmentId" uuid, "firstReceivedAt" timestamptz, "lastReceivedAt" timestamptz)
          on conflict (source_id, fingerprint) where status = 'firing' do update set
            title = excluded.title, severity = excluded.severity, severity_rank = excluded.severity_rank, labels = excluded.labels,
            annotations = excluded.annotations, runbook_url = excluded.runbook_url, generator_url = excluded.generator_url,
            group_key = excluded.group_key, group_labels = excluded.group_labels, last_received_at = excluded.last_received_at,
            received_count = ${alerts}.received_count + 1
          returning (xmax = 0) as inserted`),
      );
      opened = rows.filter((r) => r.inserted).length;
      repeated = rows.length - opened;
    }
    let resolved = 0;
    const closedAttached: { id: string; name: string; title: string; incidentId: string; endsAt: Date }[] = [];
    if (resolving.length) {
      const ends = resolving.map((a) => ({ fp: a.fingerprint, ends_at: (a.endsAt ?? now).toISOString() }));
      const result = await tx.execute(sql`
        update ${alerts} as a
        set status = 'resolved', ends_at = v.ends_at, last_received_at = ${now.toISOString()}::timestamptz, received_count = a.received_count + 1
        from jsonb_to_recordset(${JSON.stringify(ends)}::jsonb) as v(fp text, ends_at timestamptz)
        where a.source_id = ${source.id} and a.status = 'firing' and a.fingerprint = v.fp
        returning a.id, a.fingerprint, a.name, a.title, a.incident_id, a.ends_at`);
      const updated = rowsOf<{ id: string; fingerprint: string; name: string; title: string; incident_id: string | null; ends_at: string }>(result);
      resolved = updated.length;
      for (const r of updated) if (r.incident_id) closedAttached.push({ id: r.id, name: r.name, title: r.title, incidentId: r.incident_id, endsAt: new Date(r.ends_at) });
      // Resolved notifications for episodes never seen firing (Sitrep was away): keep them as history.
      const seen = new Set(updated.map((r) => r.fingerprint));
      const unseen = resolving.filter((a) => !seen.has(a.fingerprint));
      if (unseen.length) {
        const known = await tx
          .select({ fingerprint: alerts.fingerprint, startsAt: alerts.startsAt })
          .from(alerts)
          .where(and(eq(alerts.sourceId, source.id), inArray(alerts.fingerprint, unseen.map((a) => a.fingerprint))));
        const have = new Set(known.map((k) => `${k.fingerprint}|${k.startsAt.getTime()}`));
        const fresh = unseen.filter((a) => !have.has(`${a.fingerprint}|${a.startsAt.getTime()}`));
        if (fresh.length) await tx.insert(alerts).values(fresh.map((a) => ({ ...row(source.id, a, now), status: "resolved" as const, endsAt: a.endsAt ?? now })));
        ignored += unseen.length - fresh.length;
      }
    }
    await tx
      .update(alertSources)
      .set({ acceptedCount: sql`${alertSources.acceptedCount} + ${batch.length}`, lastReceivedAt: now })
      .where(eq(alertSources.id, source.id));
    const result: IngestResult = { received: batch.length, opened, repeated, resolved, ignored };
    await writeAudit(tx, { actor, action: "alert.ingest", targetType: "alert_source", targetId: source.id, after: result });
    if (closedAttached.length) {
      const open = await tx.select({ id: incidents.id }).from(incidents).where(inArray(incidents.id, [...new Set(closedAttached.map((c) => c.incidentId))]));
      const openIds = new Set(open.map((o) => o.id));
      for (const c of closedAttached) {
        if (!openIds.has(c.incidentId)) continue;
        await appendEvent(tx, actor, { incidentId: c.incidentId, kind: "alert.resolved", occurredAt: c.endsAt, body: `Alert resolved: ${c.title}`, payload: { alertId: c.id, name: c.name, title: c.title, sourceId: source.id } });
      }
    }
    if (opened || resolved || repeated) await publish(tx, ALERTS_CHANNEL, { type: "alerts.changed", sourceId: source.id, opened, resolved });
    return result;
  });
}

function row(sourceId: string, a: IncomingAlert, now: Date) {
  return {
    sourceId,
    fingerprint: a.fingerprint,
    name: a.name,
    title: a.title,
    severity: a.severity,
    severityRank: SEVERITY_RANK[a.severity],
    labels: a.labels,
    annotations: a.annotations,
    runbookUrl: a.runbookUrl,
    generatorUrl: a.generatorUrl,
    groupKey: a.groupKey,
    groupLabels: a.groupLabels,
    startsAt: a.startsAt,
    environmentId: a.environmentId ?? null,
    firstReceivedAt: now,
    lastReceivedAt: now,
  };
}

