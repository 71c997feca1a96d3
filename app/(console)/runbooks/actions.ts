"use server";

import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { archiveRunbook, createRunbook, importRunbooks, restoreRunbook, saveRunbookRevision, type SavedRevision } from "@/lib/runbooks";
import { archiveSchema } from "@/lib/runbooks/archive";
import { createRunbookSchema, saveRevisionSchema } from "@/lib/runbooks/schemas";

const MAX_FILES = 50;

// FormData gives one File for a single file and an array for several.
const uploadSchema = z.object({
  files: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.instanceof(File, { message: "Choose markdown files to upload." }))
      .min(1, "Choose at least one markdown file.")
      .max(MAX_FILES, `Upload at most ${MAX_FILES} files at once.`),
  ),
});

export const importRunbooksAction = defineAction(
  { name: "importRunbooksAction", schema: uploadSchema, permission: "runbooks.edit", revalidate: ["/runbooks"] },
  async (input, ctx) => {
    const files = await Promise.all(input.files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    return importRunbooks(ctx, files);
  },
);

export const saveRunbookAction = defineAction(
  {
    name: "saveRunbookAction",
    schema: saveRevisionSchema,
    permission: "runbooks.edit",
    revalidate: ["/runbooks"],
    redirectTo: (saved: SavedRevision) =>
      saved.unchanged ? `/runbooks/${saved.slug}` : `/runbooks/${saved.slug}/revisions?from=${Math.max(1, saved.revision - 1)}&to=${saved.revision}`,
  },
  (input, ctx) => saveRunbookRevision(ctx, input),
);

export const createRunbookAction = defineAction(
  { name: "createRunbookAction", schema: createRunbookSchema, permission: "runbooks.edit", revalidate: ["/runbooks"], redirectTo: (saved: SavedRevision) => `/runbooks/${saved.slug}` },
  (input, ctx) => createRunbook(ctx, input),
);

export const archiveRunbookAction = defineAction(
  { name: "archiveRunbookAction", schema: archiveSchema, permission: "runbooks.archive", revalidate: ["/runbooks", "/runbooks/[slug]"] },
  (input, ctx) => archiveRunbook(ctx, input),
);

export const restoreRunbookAction = defineAction(
  { name: "restoreRunbookAction", schema: archiveSchema, permission: "runbooks.archive", revalidate: ["/runbooks", "/runbooks/[slug]"] },
  (input, ctx) => restoreRunbook(ctx, input),
);
