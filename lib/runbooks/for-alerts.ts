import "server-only";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookRevisions, runbooks } from "@/db/schema";
import type { Section, SectionKind } from "./parse";
import { slugFromFileName } from "./slug";

// What the alerts side needs from the library: which runbooks answer an alert (by alert name,
// by the alert's runbook_url, or by a file name), and a runbook's well-known sections to link to.

export type AlertRunbook = {
  slug: string;
  title: string;
  /** Why it matched, strongest first: the alert name, the runbook_url's file or slug, a file name. */
  matchedBy: "alert-name" | "runbook-url" | "file-name";
  /** The section a runbook_url's `#anchor` names, when it exists. */
  sectionId: string | null;
  alertNames: string[];
  href: string;
};

export type RunbookSectionLink = { id: string; title: string; kind: SectionKind | null; href: string };

export type AlertRunbookQuery = { alertName?: string | null; runbookUrl?: string | null; fileName?: string | null };

/** `https://git.example/runbooks/blob/main/alerts/KubePodCrashLooping.md#diagnosis` → file stem and anchor. */
export function runbookUrlParts(url: string): { stem: string | null; slug: string | null; anchor: string | null } {
  const [beforeHash, anchor = null] = url.trim().split("#", 2);
  const path = beforeHash.replace(/[?].*$/, "").replace(/\/+$/, "");
  const last = decodeURIComponentSafe(path.split("/").pop() ?? "");
  const stem = last.replace(/\.(md|markdown|html?)$/i, "") || null;
  return { stem, slug: stem ? slugFromFileName(`${stem}.md`) || null : null, anchor: anchor ? decodeURIComponentSafe(anchor).toLowerCase() : null };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Runbooks (not archived, not pending) that answer an alert: by alert name (front matter or a file
 * named after the alert), by the alert's `runbook_url` (its file name, slug or path), or by a
 * file name. Each runbook once, strongest match first.
 */
export async function findRunbooksForAlert(db: Db, query: AlertRunbookQuery): Promise<AlertRunbook[]> {
  const alertName = query.alertName?.trim() || null;
  const url = query.runbookUrl?.trim() ? runbookUrlParts(query.runbookUrl) : null;
  const file = query.fileName?.trim() ? query.fileName.trim().split(/[\\/]/).pop()! : null;
  const stems = [url?.stem, file?.replace(/\.(md|markdown)$/i, "")].filter((s): s is string => !!s);
  const slugs = [url?.slug, file ? slugFromFileName(file) : null].filter((s): s is string => !!s);
  const names = [alertName, ...stems].filter((s): s is string => !!s).map((s) => s.toLowerCase());
  if (names.length === 0 && slugs.length === 0) return [];
  const rows = await db
    .select({ slug: runbooks.slug, title: runbooks.title, alertNames: runbooks.alertNames, sourcePath: runbooks.sourcePath, sections: sql<Section[] | null>`${runbookRevisions.outline} -> 'sections'` })
    .from(runbooks)
    .innerJoin(runbookRevisions, eq(runbookRevisions.id, runbooks.currentRevisionId))
    .where(
      and(
        isNull(runbooks.archivedAt),
        or(
          names.length ? sql`exists (select 1 from unnest(${runbooks.alertNames}) a where lower(a) in (${sql.join(names.map((n) => sql`${n}`), sql`, `)}))` : undefined,
          slugs.length ? sql`${runbooks.slug} in (${sql.join(slugs.map((s) => sql`${s}`), sql`, `)})` : undefined,
          stems.length ? sql`lower(regexp_replace(${runbooks.sourcePath}, '^.*/|\\.(md|markdown)$', '', 'g')) in (${sql.join(stems.map((s) => sql`${s.toLowerCase()}`), sql`, `)})` : undefined,
        ),
      ),
    );
  const rank = (r: (typeof rows)[number]): AlertRunbook["matchedBy"] => {
    const own = r.alertNames.map((a) => a.toLowerCase());
    if (alertName && own.includes(alertName.toLowerCase())) return "alert-name";
    if (url && (own.includes(url.stem?.toLowerCase() ?? "") || r.slug === url.slug || pathStem(r.sourcePath) === url.stem?.toLowerCase())) return "runbook-url";
    return "file-name";
  };
  const order = { "alert-name": 0, "runbook-url": 1, "file-name": 2 };
  return rows
    .map((r) => {
      const matchedBy = rank(r);
      const sectionId = url?.anchor ? (flatten(r.sections ?? []).find((s) => s.id === url.anchor || s.kind === url.anchor)?.id ?? null) : null;
      return { slug: r.slug, title: r.title, matchedBy, sectionId, alertNames: r.alertNames, href: `/runbooks/${r.slug}${sectionId ? `#doc-${sectionId}` : ""}` };
    })
    .sort((a, b) => order[a.matchedBy] - order[b.matchedBy] || a.title.localeCompare(b.title));
}

function pathStem(path: string | null): string | null {
  return path ? (path.split("/").pop() ?? "").replace(/\.(md|markdown)$/i, "").toLowerCase() : null;
}

function flatten(sections: Section[]): Section[] {
  return sections.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}

/**
 * A runbook's sections for linking (current revision): every heading with its anchor, the
 * well-known ones (Meaning, Impact, Diagnosis, Mitigation, Verification, Escalation) marked by kind.
 * `kinds` narrows to those kinds. Null when the runbook has no text.
 */
export async function getRunbookSections(db: Db, slug: string, kinds?: SectionKind[]): Promise<RunbookSectionLink[] | null> {
  const [row] = await db
    .select({ sections: sql<Section[] | null>`${runbookRevisions.outline} -> 'sections'` })
    .from(runbooks)
    .innerJoin(runbookRevisions, eq(runbookRevisions.id, runbooks.currentRevisionId))
    .where(eq(runbooks.slug, slug))
    .limit(1);
  if (!row) return null;
  return flatten(row.sections ?? [])
    .filter((s) => !kinds || (s.kind && kinds.includes(s.kind)))
    .map((s) => ({ id: s.id, title: s.title, kind: s.kind ?? null, href: `/runbooks/${slug}#doc-${s.id}` }));
}
