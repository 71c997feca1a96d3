import { deflateJson } from "./deflated-json";
import type { AnalyzedRunbook } from "./parse";
import type { ParsedRunbook } from "./model";
import { toStored } from "./stored";

// What the parse worker hands back for storing: the few fields the write path reads, and the
// stored structure and rendered document already serialised and deflated (`deflated-json.ts`).
// Doing it in the worker keeps JSON.stringify of a megabyte document off the request event loop,
// and bytes cross the thread boundary as one copy instead of a structured clone of thousands of
// small objects.

/** The fields of a parse the write path, the import summary and a re-parse read. */
export type RevisionHead = Pick<ParsedRunbook, "title" | "slug" | "summary" | "metadata" | "links" | "warnings"> & {
  counts: { steps: number; placeholders: number; checklists: number; tables: number };
  /** The steps' ids in document order: a re-parse may replace a document only if they stay the same. */
  stepIds: string[];
};

/**
 * What SQL reads of a revision's structure (`runbook_revisions.outline`, jsonb): the catalog's
 * counts, the sections alerts and triggers link to, the metadata alerts match on, and what an
 * unchanged import reports. Small, so reading it for every runbook never loads the whole structure.
 */
export type RevisionOutline = Pick<ParsedRunbook, "sections" | "metadata" | "links" | "warnings"> & { counts: RevisionHead["counts"] };

/** What a write needs first: the fields it reads and the outline. The worker sends it before the body. */
export type PreparedHead = {
  head: RevisionHead;
  /** The outline as JSON, for `runbook_revisions.outline`. */
  outlineJson: string;
};

/** The serialised rest, sent after the head: a write updates the runbook and its links meanwhile. */
export type PreparedBody = {
  /** `toStored(parsed)` as deflated JSON, for `runbook_revisions.parsed`. */
  stored: Uint8Array;
  /** The rendered document as deflated JSON, or null when none was rendered. */
  document: Uint8Array | null;
};

export type PreparedRevision = PreparedHead & PreparedBody;

/** A parse whose head has arrived and whose body may still be on its way. */
export type StagedRevision = PreparedHead & { body: Promise<PreparedBody> };

/** The body of either form. */
export function bodyOf(prepared: PreparedRevision | StagedRevision): Promise<PreparedBody> | PreparedBody {
  return "body" in prepared ? prepared.body : prepared;
}

export function revisionHead(parsed: ParsedRunbook): RevisionHead {
  return {
    title: parsed.title,
    slug: parsed.slug,
    ...(parsed.summary !== undefined ? { summary: parsed.summary } : {}),
    metadata: parsed.metadata,
    links: parsed.links,
    warnings: parsed.warnings,
    counts: { steps: parsed.steps.length, placeholders: parsed.placeholders.length, checklists: parsed.checklists.length, tables: parsed.tables.length },
    stepIds: parsed.steps.map((s) => s.id),
  };
}

export function prepareHead({ parsed }: AnalyzedRunbook): PreparedHead {
  const head = revisionHead(parsed);
  const outline: RevisionOutline = { sections: parsed.sections, metadata: parsed.metadata, links: parsed.links, warnings: parsed.warnings, counts: head.counts };
  return { head, outlineJson: JSON.stringify(outline) };
}

export function prepareBody({ parsed, document }: AnalyzedRunbook): PreparedBody {
  return { stored: deflateJson(JSON.stringify(toStored(parsed))), document: document ? deflateJson(JSON.stringify(document)) : null };
}

export function prepareRevision(analyzed: AnalyzedRunbook): PreparedRevision {
  return { ...prepareHead(analyzed), ...prepareBody(analyzed) };
}
