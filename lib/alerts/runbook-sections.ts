import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookRevisions, runbooks } from "@/db/schema";
import type { Section } from "@/lib/runbooks/parse";

export type SectionText = { sectionId: string; title: string; markdown: string };

/** The markdown of some sections of a runbook's current revision, by the parser's line ranges. */
export async function runbookSections(db: Db, slug: string, sectionIds: string[]): Promise<SectionText[]> {
  if (!sectionIds.length) return [];
  const [row] = await db
    .select({ markdown: runbookRevisions.markdown, parsed: runbookRevisions.parsed })
    .from(runbooks)
    .innerJoin(runbookRevisions, eq(runbookRevisions.id, runbooks.currentRevisionId))
    .where(eq(runbooks.slug, slug))
    .limit(1);
  if (!row) return [];
  const lines = row.markdown.split(/\r?\n/);
  const all: Section[] = [];
  const walk = (list: Section[]) => list.forEach((s) => (all.push(s), walk(s.children ?? [])));
  walk(((row.parsed as { sections?: Section[] }).sections ?? []) as Section[]);
  return sectionIds.flatMap((id) => {
    const s = all.find((x) => x.id === id);
    // The heading itself is shown by the page; the body starts on the next line.
    return s ? [{ sectionId: s.id, title: s.title, markdown: lines.slice(s.startLine, s.endLine).join("\n").trim() }] : [];
  });
}
