import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookRevisions, runbooks } from "@/db/schema";
import type { Section } from "@/lib/runbooks/parse";
import { slugFromFileName, slugify } from "@/lib/runbooks/slug";

// The one place that decides which runbook an alert leads to. Order: the alert's runbook_url
// (a Sitrep runbook URL, or a file name in the team's runbook repository, with its #section),
// then the alert name against the runbooks' declared alert names and file names, then a
// playbook name or the alert's title against section headings (seed 002's playbooks).

export type RunbookLink = { label: string; sectionId: string; title: string };
export type RunbookMatch = { slug: string; title: string; via: "runbook_url" | "alert_name" | "file_name" | "section_title"; section: RunbookLink | null; quick: RunbookLink[] };

type Entry = { slug: string; title: string; fileName: string | null; alertNames: string[]; sections: Section[] };
export type RunbookIndex = { entries: Entry[]; bySlug: Map<string, Entry> };

const normal = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();
/** "QueueDepthRising" and "queue_depth_rising" both → "queue-depth-rising". */
const nameSlug = (name: string) => slugify(name.replace(/([a-z0-9])([A-Z])/g, "$1-$2"));

const CACHE_MS = 3_000;
const globalCache = globalThis as unknown as { __sitrepRunbookIndex?: { at: number; index: Promise<RunbookIndex> } };

/** Alert names a runbook declares (front matter `alerts`/`alert`/`aliases` once the parser keeps it). */
function declaredAlertNames(parsed: Record<string, unknown> | null): string[] {
  // The parser keeps front matter alert names in metadata.alerts (and file names that look like an alert there too).
  const holders = [parsed?.frontMatter, parsed?.front_matter, parsed?.metadata, (parsed?.metadata as { other?: unknown } | undefined)?.other] as unknown[];
  const names: string[] = [];
  for (const h of holders) {
    if (!h || typeof h !== "object") continue;
    for (const key of ["alerts", "alert", "alertNames", "alert_names", "aliases"]) {
      const v = (h as Record<string, unknown>)[key];
      if (typeof v === "string") names.push(...v.split(/[,\s]+/));
      else if (Array.isArray(v)) names.push(...v.filter((x): x is string => typeof x === "string"));
    }
  }
  return names.filter(Boolean).map((n) => n.toLowerCase());
}

/** Every runbook with text, briefly cached: the inbox asks on every refresh. */
export function loadRunbookIndex(db: Db, now = Date.now()): Promise<RunbookIndex> {
  const cached = globalCache.__sitrepRunbookIndex;
  if (cached && now - cached.at < CACHE_MS) return cached.index;
  const index = (async () => {
    const rows = await db
      .select({
        slug: runbooks.slug,
        title: runbooks.title,
        fileName: runbookRevisions.fileName,
        sections: sql<Section[] | null>`${runbookRevisions.outline} -> 'sections'`,
        head: sql<Record<string, unknown> | null>`jsonb_build_object('metadata', ${runbookRevisions.outline} -> 'metadata')`,
      })
      .from(runbooks)
      .innerJoin(runbookRevisions, eq(runbookRevisions.id, runbooks.currentRevisionId));
    const entries = rows.map((r) => ({ slug: r.slug, title: r.title, fileName: r.fileName, alertNames: declaredAlertNames(r.head), sections: r.sections ?? [] }));
    return { entries, bySlug: new Map(entries.map((e) => [e.slug, e])) };
  })();
  globalCache.__sitrepRunbookIndex = { at: now, index };
  index.catch(() => (globalCache.__sitrepRunbookIndex = undefined));
  return index;
}

function* walk(sections: Section[]): Generator<Section> {
  for (const s of sections) {
    yield s;
    yield* walk(s.children ?? []);
  }
}

const QUICK: [string, RegExp, RegExp?][] = [
  ["Diagnosis", /diagnos|triage|investigat|symptom/i],
  // "Recovery validation" checks a fix; it is not one.
  ["Mitigation", /mitigat|resolution|remediat|recover|rollback|roll back|fix|immediate actions/i, /validat|verif/i],
];

/** The Diagnosis and Mitigation sections a click away: inside the matched section first, else the whole runbook. */
function quickLinks(entry: Entry, section: Section | null): RunbookLink[] {
  const links: RunbookLink[] = [];
  for (const [label, re, not] of QUICK) {
    const fits = (s: Section) => re.test(s.title) && !not?.test(s.title);
    const within = section ? [...walk(section.children ?? [])].find(fits) : undefined;
    const found = within ?? [...walk(entry.sections)].find((s) => fits(s) && s.depth <= 3);
    if (found) links.push({ label, sectionId: found.id, title: found.title });
  }
  return links;
}

function result(entry: Entry, via: RunbookMatch["via"], section: Section | null): RunbookMatch {
  return { slug: entry.slug, title: entry.title, via, section: section ? { label: "Playbook", sectionId: section.id, title: section.title } : null, quick: quickLinks(entry, section) };
}

function sectionByAnchor(entry: Entry, anchor: string): Section | null {
  if (!anchor) return null;
  const wanted = slugify(decodeURIComponent(anchor).replace(/^doc-/, ""));
  return [...walk(entry.sections)].find((s) => s.id === wanted || slugify(s.title) === wanted) ?? null;
}

function byUrl(index: RunbookIndex, url: string): RunbookMatch | null {
  const [beforeHash, anchor = ""] = url.split("#", 2);
  const path = beforeHash.replace(/[?].*$/, "").replace(/\/+$/, "");
  const own = /\/runbooks\/([^/]+)$/.exec(path);
  const last = path.split("/").pop() ?? "";
  const candidates = [own?.[1], slugFromFileName(last)].filter((s): s is string => !!s);
  for (const slug of candidates) {
    const entry = index.bySlug.get(slug) ?? index.entries.find((e) => e.fileName && slugFromFileName(e.fileName) === slug);
    if (entry) return result(entry, "runbook_url", sectionByAnchor(entry, anchor));
  }
  return null;
}

export type AlertForMatch = { name: string; title: string; runbookUrl: string | null; annotations: Record<string, string> };

export function matchRunbook(index: RunbookIndex, alert: AlertForMatch): RunbookMatch | null {
  if (alert.runbookUrl) {
    const m = byUrl(index, alert.runbookUrl);
    if (m) return m;
  }
  const name = alert.name.toLowerCase();
  const declared = index.entries.find((e) => e.alertNames.includes(name));
  if (declared) return result(declared, "alert_name", null);
  const slug = nameSlug(alert.name);
  const byFile = index.bySlug.get(slug) ?? index.entries.find((e) => e.fileName && slugFromFileName(e.fileName) === slug);
  if (byFile) return result(byFile, "file_name", null);
  for (const title of [alert.annotations.playbook, alert.title].filter((t): t is string => !!t)) {
    const wanted = normal(title);
    for (const entry of index.entries) {
      const section = [...walk(entry.sections)].find((s) => normal(s.title) === wanted);
      if (section) return result(entry, "section_title", section);
    }
  }
  return null;
}
