"use server";

import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { repositorySchema, saveRepository, syncRepositoryNow } from "@/lib/runbooks/sync/repositories";

export const saveRepositoryAction = defineAction(
  { name: "saveRepositoryAction", schema: repositorySchema, permission: "runbooks.sync", revalidate: ["/runbooks/repositories"] },
  (input, ctx) => saveRepository(ctx, input),
);

export const syncRepositoryAction = defineAction(
  { name: "syncRepositoryAction", schema: z.object({ id: z.string().uuid() }), permission: "runbooks.sync", revalidate: ["/runbooks/repositories", "/runbooks"] },
  async (input, ctx) => {
    const r = await syncRepositoryNow(ctx, input);
    return { created: r.created, updated: r.updated, unchanged: r.unchanged, renamed: r.renamed.length, archived: r.archived.length, failed: r.failed.length };
  },
);
