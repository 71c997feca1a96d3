import "server-only";
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  maintenanceWindows,
  publicUpdates,
  statusComponentStates,
  statusComponents,
  statusSettings,
  statusSnapshots,
  type ComponentState,
  type PublicUpdateStatus,
} from "@/db/schema/status";
import { publish } from "@/lib/live";
import { worstOf } from "./uptime";

// The public projection. Built inside every publishing transaction from the status tables only,
// field by field: nothing from the incident timeline, roles, users, executions or environments
// is ever read here, so nothing internal can reach /status, its feeds or webhooks.

export const STATUS_CHANNEL = "status_public";
export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

export type PublicComponent = {
  id: string;
  name: string;
  description: string;
  group: string;
  position: number;
  state: ComponentState;
  stateSince: string;
  createdAt: string;
  /** Published states in the history window, oldest first (the first may predate the window). */
  history: { at: string; state: ComponentState }[];
};

export type PublicUpdateView = {
  id: string;
  status: PublicUpdateStatus;
  /** Empty once retracted: a withdrawn text does not stay public. */
  message: string;
  publishedAt: string;
  components: { id: string; name: string; state: ComponentState }[];
  /** When its text was last corrected (the page says so), or null. */
  correctedAt: string | null;
  /** When it was withdrawn (the page keeps a notice in its place), or null. */
  retractedAt: string | null;
};

export type PublicIncident = {
  id: string;
  title: string;
  status: PublicUpdateStatus;
  impact: ComponentState;
  startedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  components: { id: string; name: string }[];
  /** Newest first. */
  updates: PublicUpdateView[];
};

export type PublicMaintenance = {
  id: string;
  title: string;
  message: string;
  startsAt: string;
  endsAt: string;
  components: { id: string; name: string }[];
};

export type PublicSnapshot = {
  format: 1;
  id: number;
  generatedAt: string;
  page: { title: string; description: string };
  /** Not public content: whether the routes must ask for a session first. */
  access: { requireSignIn: boolean };
  components: PublicComponent[];
  incidents: PublicIncident[];
  maintenance: PublicMaintenance[];
};

export const EMPTY_SNAPSHOT: PublicSnapshot = {
  format: 1,
  id: 0,
  generatedAt: new Date(0).toISOString(),
  page: { title: "Service status", description: "" },
  access: { requireSignIn: false },
  components: [],
  incidents: [],
  maintenance: [],
};

/** Reads the status tables and returns the projection (without storing it). */
export async function buildSnapshot(db: Db, now = new Date()): Promise<Omit<PublicSnapshot, "id">> {
  const windowStart = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const [settings] = await db.select().from(statusSettings).where(eq(statusSettings.id, 1));
  const components = await db
    .select()
    .from(statusComponents)
    .where(isNull(statusComponents.archivedAt))
    .orderBy(asc(statusComponents.groupName), asc(statusComponents.position), asc(statusComponents.name));
  const names = new Map(components.map((c) => [c.id, c.name]));
  const ids = components.map((c) => c.id);

  const inWindow = ids.length
    ? await db
        .select({ componentId: statusComponentStates.componentId, at: statusComponentStates.publishedAt, state: statusComponentStates.state })
        .from(statusComponentStates)
        .where(and(inArray(statusComponentStates.componentId, ids), gte(statusComponentStates.publishedAt, windowStart)))
        .orderBy(asc(statusComponentStates.publishedAt), asc(statusComponentStates.id))
    : [];
  // The state each component was in when the window opened.
  const before = ids.length
    ? await db
        .selectDistinctOn([statusComponentStates.componentId], {
          componentId: statusComponentStates.componentId,
          at: statusComponentStates.publishedAt,
          state: statusComponentStates.state,
        })
        .from(statusComponentStates)
        .where(and(inArray(statusComponentStates.componentId, ids), lt(statusComponentStates.publishedAt, windowStart)))
        .orderBy(statusComponentStates.componentId, desc(statusComponentStates.publishedAt), desc(statusComponentStates.id))
    : [];
  const history = new Map<string, { at: string; state: ComponentState }[]>();
  for (const row of [...before, ...inWindow]) {
    const list = history.get(row.componentId) ?? [];
    list.push({ at: row.at.toISOString(), state: row.state });
    history.set(row.componentId, list);
  }

  const updates = await db
    .select({
      id: publicUpdates.id,
      incidentId: publicUpdates.incidentId,
      title: publicUpdates.title,
      status: publicUpdates.status,
      message: publicUpdates.message,
      components: publicUpdates.components,
      publishedAt: publicUpdates.publishedAt,
      correctedAt: publicUpdates.correctedAt,
      retractedAt: publicUpdates.retractedAt,
    })
    .from(publicUpdates)
    .where(eq(publicUpdates.draft, false))
    .orderBy(asc(publicUpdates.publishedAt));
  const byIncident = new Map<string, typeof updates>();
  for (const u of updates) byIncident.set(u.incidentId, [...(byIncident.get(u.incidentId) ?? []), u]);
  const incidents: PublicIncident[] = [];
  for (const [incidentId, list] of byIncident) {
    // A retracted update keeps its place (as a notice) but says nothing about the incident's state.
    const standing = list.filter((u) => !u.retractedAt);
    const latest = standing[standing.length - 1];
    // Nothing left standing: the incident was never really public.
    if (!latest) continue;
    // Past incidents leave the page with the history window; open ones stay however old.
    if (latest.status === "resolved" && latest.publishedAt!.getTime() < windowStart.getTime()) continue;
    const views: PublicUpdateView[] = list.map((u) => ({
      id: u.id,
      status: u.status,
      message: u.retractedAt ? "" : u.message,
      publishedAt: u.publishedAt!.toISOString(),
      components: u.retractedAt ? [] : u.components.filter((c) => names.has(c.componentId)).map((c) => ({ id: c.componentId, name: names.get(c.componentId)!, state: c.state })),
      correctedAt: u.correctedAt?.toISOString() ?? null,
      retractedAt: u.retractedAt?.toISOString() ?? null,
    }));
    const touched = new Map<string, string>();
    for (const v of views) for (const c of v.components) touched.set(c.id, c.name);
    incidents.push({
      id: incidentId,
      title: latest.title,
      status: latest.status,
      impact: worstOf(views.flatMap((v) => v.components.map((c) => c.state))),
      startedAt: views[0].publishedAt,
      updatedAt: new Date(Math.max(...list.map((u) => (u.retractedAt ?? u.correctedAt ?? u.publishedAt!).getTime()))).toISOString(),
      resolvedAt: latest.status === "resolved" ? latest.publishedAt!.toISOString() : null,
      components: [...touched].map(([id, name]) => ({ id, name })),
      updates: views.reverse(),
    });
  }
  incidents.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));

  const windows = await db
    .select()
    .from(maintenanceWindows)
    .where(and(isNull(maintenanceWindows.cancelledAt), gte(maintenanceWindows.endsAt, windowStart)))
    .orderBy(asc(maintenanceWindows.startsAt));

  return {
    format: 1,
    generatedAt: now.toISOString(),
    page: { title: settings?.title ?? EMPTY_SNAPSHOT.page.title, description: settings?.description ?? "" },
    access: { requireSignIn: settings?.requireSignIn ?? false },
    components: components.map((c) => ({
      id: c.id,
      name: c.name,
      description: c.description,
      group: c.groupName,
      position: c.position,
      state: c.state,
      stateSince: c.stateChangedAt.toISOString(),
      createdAt: c.createdAt.toISOString(),
      history: history.get(c.id) ?? [],
    })),
    incidents,
    maintenance: windows.map((w) => ({
      id: w.id,
      title: w.title,
      message: w.message,
      startsAt: w.startsAt.toISOString(),
      endsAt: w.endsAt.toISOString(),
      components: w.componentIds.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! })),
    })),
  };
}

/**
 * Stores a new snapshot and tells every instance (after commit) to drop its cached copy. Call it
 * last in every transaction that changes something public.
 */
export async function storeSnapshot(tx: Db, reason: string): Promise<PublicSnapshot> {
  const body = await buildSnapshot(tx);
  const [row] = await tx.insert(statusSnapshots).values({ body }).returning({ id: statusSnapshots.id });
  // Older snapshots are never read again; keep a short tail for inspection.
  await tx.execute(sql`delete from status_snapshots where id < ${row.id - 20}`);
  await publish(tx, STATUS_CHANNEL, { type: "snapshot", id: String(row.id), reason });
  return { ...body, id: row.id };
}

export async function latestSnapshot(db: Db): Promise<PublicSnapshot | null> {
  const [row] = await db.select().from(statusSnapshots).orderBy(desc(statusSnapshots.id)).limit(1);
  return row ? { ...(row.body as Omit<PublicSnapshot, "id">), id: row.id } : null;
}
