import "server-only";
import { and, desc, eq, gte, ilike, lte, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { auditEntries } from "@/db/schema";

export const auditFilterSchema = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(200).optional(),
  targetType: z.string().trim().max(100).optional(),
  targetId: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** Newest first; `before` pages back by sequence number. */
export async function listAuditEntries(db: Db, filter: AuditFilter) {
  const where: SQL[] = [];
  if (filter.actor) where.push(ilike(auditEntries.actorEmail, `%${escapeLike(filter.actor)}%`));
  if (filter.action) where.push(ilike(auditEntries.action, `${escapeLike(filter.action)}%`));
  if (filter.targetType) where.push(eq(auditEntries.targetType, filter.targetType));
  if (filter.targetId) where.push(eq(auditEntries.targetId, filter.targetId));
  if (filter.from) where.push(gte(auditEntries.at, filter.from));
  if (filter.to) where.push(lte(auditEntries.at, filter.to));
  if (filter.before) where.push(lt(auditEntries.seq, filter.before));
  return db
    .select()
    .from(auditEntries)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEntries.seq))
    .limit(filter.limit);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
