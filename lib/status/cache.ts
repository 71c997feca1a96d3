import "server-only";
import fs from "node:fs";
import path from "node:path";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { RESYNC, subscribe } from "@/lib/live";
import { log } from "@/lib/log";
import { encodeBody, type EncodedBody } from "./encoded";
import { deriveView, renderAtom, renderIncidentPage, renderJson, renderStatusPage, type PublicView } from "./render";
import { EMPTY_SNAPSHOT, STATUS_CHANNEL, latestSnapshot, type PublicSnapshot } from "./snapshot";

// The public documents, rendered once per snapshot (and again every REFRESH_MS so "today" and
// maintenance windows move on), served from memory. Publishing anywhere sends a NOTIFY that marks
// every instance's copy stale. When the database is unreachable the last good snapshot keeps being
// served, from memory or from the copy on disk.

const REFRESH_MS = 30_000;
const LOAD_TIMEOUT_MS = 2_000;
const RETRY_AFTER_FAILURE_MS = 5_000;

export type PublicDocuments = {
  snapshot: PublicSnapshot;
  view: PublicView;
  html: string;
  json: string;
  atom: string;
  etag: string;
  renderedAt: number;
  /** Where this copy came from: the database; while it is away, the copy in memory or on disk. */
  source: "database" | "memory" | "disk" | "empty";
  incidentPage: (id: string) => string | null;
  /** One of this copy's documents, compressed once (see encoded.ts). */
  encoded: (text: string) => EncodedBody;
};

type Holder = { current?: PublicDocuments; loading?: Promise<PublicDocuments>; stale: boolean; subscribed: boolean; retryAt: number };
const globalForStatus = globalThis as unknown as { __sitrepStatusCache?: Holder };
const holder: Holder = (globalForStatus.__sitrepStatusCache ??= { stale: true, subscribed: false, retryAt: 0 });

function snapshotFile(): string {
  return path.join(env.dataDir, "status-snapshot.json");
}

function render(snapshot: PublicSnapshot, source: PublicDocuments["source"]): PublicDocuments {
  const now = new Date();
  const view = deriveView(snapshot, now);
  const pages = new Map<string, string>();
  const encodings = new Map<string, EncodedBody>();
  return {
    snapshot,
    view,
    html: renderStatusPage(view),
    json: renderJson(view),
    atom: renderAtom(view),
    etag: `"s${snapshot.id}-${Math.floor(now.getTime() / REFRESH_MS)}"`,
    renderedAt: now.getTime(),
    source,
    incidentPage: (id) => {
      const cached = pages.get(id);
      if (cached) return cached;
      const incident = snapshot.incidents.find((i) => i.id === id);
      if (!incident) return null;
      const html = renderIncidentPage(view, incident);
      pages.set(id, html);
      return html;
    },
    encoded: (text) => {
      let body = encodings.get(text);
      if (!body) encodings.set(text, (body = encodeBody(text)));
      return body;
    },
  };
}

function readDisk(): PublicSnapshot | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(snapshotFile(), "utf8")) as PublicSnapshot;
    return parsed && parsed.format === 1 ? parsed : null;
  } catch {
    return null;
  }
}

function writeDisk(snapshot: PublicSnapshot): void {
  try {
    fs.mkdirSync(env.dataDir, { recursive: true });
    const tmp = `${snapshotFile()}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(snapshot));
    fs.renameSync(tmp, snapshotFile());
  } catch (error) {
    log.warn("status.snapshot_disk_write_failed", { error: String(error) });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

function ensureSubscribed(): void {
  if (holder.subscribed) return;
  holder.subscribed = true;
  subscribe(STATUS_CHANNEL, (message) => {
    // A resync: a snapshot notification may have been missed while the listener was away.
    if (message.type === "snapshot" || message.type === RESYNC) invalidatePublicCache();
  }).catch(() => {
    // Try again on a later request (the database may come back).
    holder.subscribed = false;
  });
}

async function load(wasStale: boolean): Promise<PublicDocuments> {
  const previous = holder.current;
  try {
    const snapshot = await withTimeout(getDb().then(latestSnapshot), LOAD_TIMEOUT_MS);
    const docs = render(snapshot ?? { ...EMPTY_SNAPSHOT, generatedAt: new Date().toISOString() }, snapshot ? "database" : "empty");
    if (snapshot && snapshot.id !== previous?.snapshot.id) writeDisk(snapshot);
    return docs;
  } catch (error) {
    holder.retryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
    log.warn("status.snapshot_load_failed", { error: error instanceof Error ? error.message : String(error), serving: previous ? "memory" : "disk" });
    // A reload that was due to a publish is due again after the retry pause (the re-rendered old
    // copy must not pass for fresh for 30 s), and the copy says it comes from memory.
    if (wasStale) holder.stale = true;
    if (previous) return render(previous.snapshot, previous.source === "database" ? "memory" : previous.source);
    const disk = readDisk();
    return render(disk ?? { ...EMPTY_SNAPSHOT, generatedAt: new Date().toISOString() }, disk ? "disk" : "empty");
  }
}

function refresh(): Promise<PublicDocuments> {
  if (!holder.loading) {
    const wasStale = holder.stale;
    holder.stale = false;
    holder.loading = load(wasStale)
      .then((docs) => (holder.current = docs))
      .finally(() => (holder.loading = undefined));
  }
  return holder.loading;
}

/** The documents in memory if they may be served without waiting for the database, else null. */
export function readyPublicDocuments(): PublicDocuments | null {
  ensureSubscribed();
  const current = holder.current;
  if (!current) return null;
  const now = Date.now();
  if (!holder.stale && now - current.renderedAt < REFRESH_MS) return current;
  if (now < holder.retryAt) return current;
  // A periodic re-render can be served stale meanwhile; a publish must be seen at once.
  if (!holder.stale) {
    void refresh();
    return current;
  }
  return null;
}

/** The current public documents: from memory when fresh, otherwise reloaded once for everyone. */
export async function getPublicDocuments(): Promise<PublicDocuments> {
  return readyPublicDocuments() ?? refresh();
}

/** Marks this instance's copy stale (publishing does it locally; NOTIFY does it everywhere). */
export function invalidatePublicCache(): void {
  holder.stale = true;
  holder.retryAt = 0;
}
