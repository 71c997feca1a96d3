import "server-only";
import { and, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { alertSilences, alertSources, alerts, environments, incidents, type Alert, type AlertSilence } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { formatNumber } from "@/lib/incidents/state-machine";
import { matchesAll } from "./matchers";
import { SEVERITY_RANK, type Severity } from "./model";
import { listRoutingRules, route, type Routing } from "./routing";
import { loadRunbookIndex, matchRunbook, type RunbookMatch } from "./runbook-match";

export type IncidentRef = { id: string; ref: string; title: string; status: string; severity: string };
export type SilenceRef = { id: string; endsAt: string; createdBy: string; comment: string };

export type AlertView = {
  id: string;
  fingerprint: string;
  name: string;
  title: string;
  severity: Severity;
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl: string | null;
  generatorUrl: string | null;
  startsAt: string;
  endsAt: string | null;
  lastReceivedAt: string;
  receivedCount: number;
  groupKey: string;
  source: { id: string; name: string; kind: string; alertmanager: boolean };
  environmentId: string | null;
  acked: { at: string; by: string } | null;
  incident: IncidentRef | null;
  silence: SilenceRef | null;
  routing: Routing;
  runbook: RunbookMatch | null;
};

export type AlertGroupView = {
  key: string;
  labels: Record<string, string>;
  status: "firing" | "resolved";
  severity: Severity;
  firing: number;
  total: number;
  oldestFiringAt: string | null;
  latestAt: string;
  silenced: boolean;
  acked: boolean;
  incident: IncidentRef | null;
  alerts: AlertView[];
};

export type Inbox = { groups: AlertGroupView[]; firingGroups: number; firingAlerts: number; generatedAt: string };

export type InboxOptions = { now?: Date; resolvedWithinMs?: number; groupLimit?: number; alertsPerGroup?: number; onlyFiring?: boolean };

type GroupRow = { group_key: string; firing: number; total: number; rank: number | null; oldest: string | Date | null; latest: string | Date; firing_groups: number; firing_alerts: number };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Active silences now (not expired, window covers `now`). */
export async function activeSilences(db: Db, now: Date): Promise<AlertSilence[]> {
  return db
    .select()
    .from(alertSilences)
    .where(and(isNull(alertSilences.expiredAt), gt(alertSilences.endsAt, now), sql`${alertSilences.startsAt} <= ${now.toISOString()}::timestamptz`));
}

export function silenceFor(silences: AlertSilence[], labels: Record<string, string>): AlertSilence | undefined {
  return silences.find((s) => matchesAll(s.matchers, labels));
}

async function incidentRefs(db: Db, ids: string[]): Promise<Map<string, IncidentRef>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: incidents.id, number: incidents.number, title: incidents.title, status: incidents.status, severity: incidents.severity }).from(incidents).where(inArray(incidents.id, ids));
  return new Map(rows.map((r) => [r.id, { id: r.id, ref: formatNumber(r.number), title: r.title, status: r.status, severity: r.severity }]));
}

/** Everything the views need to dress alert rows: sources, incidents, silences, routing, runbooks. */
async function viewsOf(db: Db, rows: Alert[], now: Date): Promise<AlertView[]> {
  const [sources, refs, silences, rules, runbookIndex] = await Promise.all([
    db.select({ id: alertSources.id, name: alertSources.name, kind: alertSources.kind, alertmanagerUrl: alertSources.alertmanagerUrl }).from(alertSources),
    incidentRefs(db, [...new Set(rows.map((r) => r.incidentId).filter((x): x is string => !!x))]),
    activeSilences(db, now),
    listRoutingRules(db),
    loadRunbookIndex(db, now.getTime()),
  ]);
  const sourceById = new Map(sources.map((s) => [s.id, s]));
  // A storm repeats the same few alert names: judge routing and runbook once per distinct shape.
  const runbookMemo = new Map<string, RunbookMatch | null>();
  const runbookOf = (r: Alert) => {
    const key = `${r.name}\u0000${r.title}\u0000${r.runbookUrl ?? ""}\u0000${r.annotations.playbook ?? ""}`;
    if (!runbookMemo.has(key)) runbookMemo.set(key, matchRunbook(runbookIndex, r));
    return runbookMemo.get(key)!;
  };
  return rows.map((r) => {
    const s = sourceById.get(r.sourceId);
    const silence = r.status === "firing" ? silenceFor(silences, r.labels) : undefined;
    return {
      id: r.id,
      fingerprint: r.fingerprint,
      name: r.name,
      title: r.title,
      severity: r.severity as Severity,
      status: r.status,
      labels: r.labels,
      annotations: r.annotations,
      runbookUrl: r.runbookUrl,
      generatorUrl: r.generatorUrl,
      startsAt: r.startsAt.toISOString(),
      endsAt: iso(r.endsAt),
      lastReceivedAt: r.lastReceivedAt.toISOString(),
      receivedCount: r.receivedCount,
      groupKey: r.groupKey,
      source: { id: r.sourceId, name: s?.name ?? "unknown", kind: s?.kind ?? "generic", alertmanager: !!s?.alertmanagerUrl },
      environmentId: r.environmentId,
      acked: r.ackedAt ? { at: r.ackedAt.toISOString(), by: r.ackedBy ?? "" } : null,
      incident: r.incidentId ? (refs.get(r.incidentId) ?? null) : null,
      silence: silence ? { id: silence.id, endsAt: silence.endsAt.toISOString(), createdBy: silence.createdBy, comment: silence.comment } : null,
      routing: route(rules, r),
      runbook: runbookOf(r),
    };
  });
}

/**
 * The inbox: groups with firing alerts first (most severe, then oldest), silenced ones after,
 * then groups that resolved within `resolvedWithinMs`; the first five alerts of each group (the
 * alert page lists the rest). Aggregates in SQL so a storm of
 * thousands of alerts costs one grouped scan plus a bounded page of rows.
 */
export async function listInbox(db: Db, options: InboxOptions = {}): Promise<Inbox> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.resolvedWithinMs ?? 24 * 3_600_000)).toISOString();
  const groupLimit = options.groupLimit ?? 200;
  const perGroup = options.alertsPerGroup ?? 5;
  const resolvedToo = options.onlyFiring ? sql`false` : sql`(${alerts.status} = 'resolved' and ${alerts.endsAt} > ${since}::timestamptz)`;
  // One grouped pass; the totals ride along as window sums taken before the limit.
  const groupRows = rowsOf<GroupRow>(
    await db.execute(sql`
      with g as (
        select ${alerts.groupKey} as group_key,
          (count(*) filter (where ${alerts.status} = 'firing'))::int as firing,
          count(*)::int as total,
          min(${alerts.severityRank}) filter (where ${alerts.status} = 'firing') as rank,
          min(${alerts.startsAt}) filter (where ${alerts.status} = 'firing') as oldest,
          max(coalesce(${alerts.endsAt}, ${alerts.lastReceivedAt})) as latest
        from ${alerts} where ${alerts.status} = 'firing' or ${resolvedToo}
        group by ${alerts.groupKey})
      select *, (count(*) filter (where firing > 0) over ())::int as firing_groups, (sum(firing) over ())::int as firing_alerts
      from g
      order by (firing > 0) desc, rank asc nulls last, oldest asc nulls last, latest desc
      limit ${groupLimit}`),
  );
  const keys = groupRows.map((g) => g.group_key);
  let rows: Alert[] = [];
  if (keys.length) {
    // Per group the first few by the firing index (most severe, oldest), then recent resolutions.
    const keyList = sql.join(keys.map((k) => sql`${k}`), sql`, `);
    const picked = rowsOf<{ id: string }>(
      await db.execute(sql`
        select f.id from unnest(array[${keyList}]::text[]) as k(key)
        cross join lateral (
          (select id from ${alerts} where group_key = k.key and status = 'firing' order by severity_rank, starts_at limit ${perGroup})
          union all
          (select id from ${alerts} where group_key = k.key and ${resolvedToo} order by ends_at desc limit ${perGroup})
        ) as f`),
    );
    if (picked.length) rows = await db.select().from(alerts).where(inArray(alerts.id, picked.map((p) => p.id)));
  }
  const views = await viewsOf(db, rows, now);
  const byGroup = new Map<string, AlertView[]>();
  for (const v of views) byGroup.set(v.groupKey, [...(byGroup.get(v.groupKey) ?? []), v]);
  const groups: AlertGroupView[] = groupRows.map((g) => {
    const list = (byGroup.get(g.group_key) ?? [])
      .sort((a, b) => Number(b.status === "firing") - Number(a.status === "firing") || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.startsAt.localeCompare(b.startsAt))
      .slice(0, perGroup);
    const firingList = list.filter((a) => a.status === "firing");
    const first = list[0];
    return {
      key: g.group_key,
      labels: rowsGroupLabels(rows, g.group_key),
      status: g.firing > 0 ? "firing" : "resolved",
      severity: (["critical", "warning", "info", "none"] as const)[g.rank ?? SEVERITY_RANK[first?.severity ?? "none"]],
      firing: g.firing,
      total: g.total,
      oldestFiringAt: iso(g.oldest),
      latestAt: new Date(g.latest).toISOString(),
      silenced: firingList.length > 0 && firingList.every((a) => a.silence),
      acked: firingList.length > 0 && firingList.every((a) => a.acked),
      incident: list.find((a) => a.incident)?.incident ?? null,
      alerts: list,
    };
  });
  // Silenced groups keep their order but go after the ones that need someone.
  const ordered = [...groups.filter((g) => g.status === "firing" && !g.silenced), ...groups.filter((g) => g.status === "firing" && g.silenced), ...groups.filter((g) => g.status === "resolved")];
  return { groups: ordered, firingGroups: Number(groupRows[0]?.firing_groups ?? 0), firingAlerts: Number(groupRows[0]?.firing_alerts ?? 0), generatedAt: now.toISOString() };
}

function rowsGroupLabels(rows: Alert[], key: string): Record<string, string> {
  return rows.find((r) => r.groupKey === key)?.groupLabels ?? {};
}

/** Firing groups that still need attention for the banner: not silenced, not led to a finished incident. */
export async function bannerGroups(db: Db, now = new Date()): Promise<{ groups: AlertGroupView[]; more: number }> {
  const inbox = await listInbox(db, { now, onlyFiring: true, groupLimit: 20, alertsPerGroup: 3 });
  const open = inbox.groups.filter((g) => !g.silenced && (!g.incident || !["resolved", "closed"].includes(g.incident.status)));
  return { groups: open.slice(0, 3), more: Math.max(0, open.length - 3) };
}

export async function getAlert(db: Db, id: string, now = new Date()): Promise<AlertView & { group: AlertView[] }> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("That alert does not exist.");
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id)).limit(1);
  if (!row) throw new NotFoundError("That alert does not exist.");
  const siblings = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.groupKey, row.groupKey), or(eq(alerts.status, "firing"), eq(alerts.id, id))))
    .orderBy(desc(alerts.startsAt))
    .limit(50);
  const views = await viewsOf(db, [row, ...siblings.filter((s) => s.id !== id)], now);
  return { ...views[0], group: views.slice(1) };
}

/** The episodes of the same fingerprint, newest first (an alert's history). */
export async function alertHistory(db: Db, alert: { sourceId: string; fingerprint: string }, limit = 20) {
  return db
    .select({ id: alerts.id, status: alerts.status, startsAt: alerts.startsAt, endsAt: alerts.endsAt, receivedCount: alerts.receivedCount })
    .from(alerts)
    .where(and(eq(alerts.sourceId, alert.sourceId), eq(alerts.fingerprint, alert.fingerprint)))
    .orderBy(desc(alerts.startsAt))
    .limit(limit);
}

export type IncidentAlertsState = { firing: number; resolved: number; lastResolvedAt: string | null; alerts: AlertView[] };

/** The alerts attached to an incident and where they stand (the incident header shows this). */
export async function incidentAlerts(db: Db, incidentId: string, now = new Date()): Promise<IncidentAlertsState> {
  const rows = await db.select().from(alerts).where(eq(alerts.incidentId, incidentId)).orderBy(desc(alerts.startsAt)).limit(200);
  const views = await viewsOf(db, rows, now);
  const resolved = views.filter((v) => v.status === "resolved");
  const lastResolvedAt = resolved.length === views.length && resolved.length ? resolved.map((v) => v.endsAt!).sort().pop()! : null;
  return { firing: views.length - resolved.length, resolved: resolved.length, lastResolvedAt, alerts: views };
}

/** Open incidents an alert can be attached to, newest first. */
export async function openIncidentChoices(db: Db): Promise<IncidentRef[]> {
  const rows = await db
    .select({ id: incidents.id, number: incidents.number, title: incidents.title, status: incidents.status, severity: incidents.severity })
    .from(incidents)
    .where(sql`${incidents.status} not in ('resolved', 'closed')`)
    .orderBy(desc(incidents.declaredAt))
    .limit(100);
  return rows.map((r) => ({ id: r.id, ref: formatNumber(r.number), title: r.title, status: r.status, severity: r.severity }));
}

/** Environment names for pages that chart each environment's signals. */
export async function listEnvironmentNames(db: Db): Promise<{ id: string; name: string }[]> {
  return db.select({ id: environments.id, name: environments.name }).from(environments).orderBy(environments.name);
}
