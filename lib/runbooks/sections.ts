import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookRevisions, runbooks } from "@/db/schema";
import type { Section } from "./parse";

export type SectionMatch = { slug: string; runbookTitle: string; sectionId: string; sectionTitle: string };

const normal = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Sections of the current runbook revisions whose heading is `title` (case and spacing aside):
 * how a trigger's playbook name ("Queue depth rising, no dispatch") finds its place in a runbook.
 */
export async function findSectionsTitled(db: Db, title: string): Promise<SectionMatch[]> {
  const wanted = normal(title);
  if (!wanted) return [];
  const rows = await db
    .select({ slug: runbooks.slug, title: runbooks.title, sections: sql<Section[] | null>`${runbookRevisions.outline} -> 'sections'` })
    .from(runbooks)
    .innerJoin(runbookRevisions, eq(runbookRevisions.id, runbooks.currentRevisionId))
    .orderBy(runbooks.title);
  const matches: SectionMatch[] = [];
  const visit = (slug: string, runbookTitle: string, sections: Section[]) => {
    for (const s of sections) {
      if (normal(s.title) === wanted) matches.push({ slug, runbookTitle, sectionId: s.id, sectionTitle: s.title });
      visit(slug, runbookTitle, s.children ?? []);
    }
  };
  for (const row of rows) visit(row.slug, row.title, row.sections ?? []);
  return matches;
}
