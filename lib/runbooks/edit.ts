import "server-only";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { RunbookParseError } from "@/lib/runbooks/parse";
import type { PreparedRevision } from "@/lib/runbooks/parse/prepared";
import { decodeRunbookBytes, sha256Hex } from "./bytes";
import { parseInWorker } from "./parse-worker";
import { createRunbookSchema, saveRevisionSchema } from "./schemas";
import { findRevision, findRunbookBySlug, writeRevision } from "./store";
import { slugify } from "./slug";

export type SavedRevision = { slug: string; revision: number; unchanged: boolean; version: number };

/** Parses edited or new markdown (in the worker), turning every way it can fail into a field error on `markdown`. */
async function parseEdited(markdown: string, fileName: string): Promise<{ prepared: PreparedRevision; bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(markdown);
  try {
    decodeRunbookBytes(bytes, fileName);
    return { prepared: await parseInWorker(markdown, { fileName }), bytes };
  } catch (error) {
    const message = error instanceof RunbookParseError ? error.message : "The markdown could not be read as a runbook.";
    throw new ValidationError(message, { markdown: [message] });
  }
}

/**
 * Browsers submit textareas with CRLF line ends. Keep the line ends the runbook already uses
 * (LF unless its current text uses CRLF), so an edit of one line changes one line.
 */
function matchLineEndings(submitted: string, current: string | undefined): string {
  const lf = submitted.replace(/\r\n/g, "\n");
  return current?.includes("\r\n") ? lf.replace(/\n/g, "\r\n") : lf;
}

/** Saves edited markdown as a new revision; the version the author started from must still be current. */
export async function saveRunbookRevision(ctx: Ctx, input: unknown): Promise<SavedRevision> {
  requirePermission(ctx.actor, "runbooks.edit");
  const data = parseInput(saveRevisionSchema, input);
  const before = await findRunbookBySlug(ctx.db, data.slug);
  if (!before || before.status === "pending") throw new NotFoundError("That runbook does not exist yet; create it first.");
  // Parsed outside the transaction (large files take a while); the version check below catches races.
  const markdown = matchLineEndings(data.markdown, (await findRevision(ctx.db, before.currentRevisionId))?.markdown);
  const { prepared, bytes } = await parseEdited(markdown, `${data.slug}.md`);
  const sha256 = sha256Hex(bytes);
  return ctx.db.transaction(async (tx) => {
    const existing = await findRunbookBySlug(tx, data.slug);
    if (!existing) throw new NotFoundError("That runbook does not exist yet; create it first.");
    const current = await findRevision(tx, existing.currentRevisionId);
    if (current?.sha256 === sha256 && existing.version === data.version) {
      return { slug: existing.slug, revision: current.number, unchanged: true, version: existing.version };
    }
    const written = await writeRevision(tx, ctx, {
      existing,
      slug: existing.slug,
      markdown,
      sha256,
      prepared,
      source: "edit",
      changeNote: data.changeNote,
      expectedVersion: data.version,
    });
    return { slug: written.runbook.slug, revision: written.revision.number, unchanged: false, version: written.runbook.version };
  });
}

/** Creates a runbook (usually from the template); a pending entry with the same slug becomes its draft. */
export async function createRunbook(ctx: Ctx, input: unknown): Promise<SavedRevision> {
  requirePermission(ctx.actor, "runbooks.edit");
  const data = parseInput(createRunbookSchema, input);
  const slug = data.slug ?? slugify(data.title);
  if (!slug) throw new ValidationError("Some fields need attention.", { slug: ["Give the runbook a slug made of letters and digits."] });
  const markdown = matchLineEndings(data.markdown, undefined);
  const { prepared, bytes } = await parseEdited(markdown, `${slug}.md`);
  return ctx.db.transaction(async (tx) => {
    const existing = await findRunbookBySlug(tx, slug);
    if (existing && existing.status !== "pending") {
      throw new ValidationError("Some fields need attention.", { slug: [`A runbook named "${slug}" already exists.`] });
    }
    const written = await writeRevision(tx, ctx, {
      existing,
      slug,
      markdown,
      sha256: sha256Hex(bytes),
      prepared,
      source: "create",
      category: data.category,
      changeNote: data.changeNote ?? "Created",
    });
    return { slug: written.runbook.slug, revision: written.revision.number, unchanged: false, version: written.runbook.version };
  });
}
