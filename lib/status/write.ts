import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/actor";
import { writeAudit, type AuditInput } from "@/lib/audit";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { invalidatePublicCache } from "./cache";
import { storeSnapshot, type PublicSnapshot } from "./snapshot";

/** Audit entry, then a fresh public snapshot, both in the caller's transaction. */
export async function auditAndSnapshot(tx: Db, actor: Actor, audit: Omit<AuditInput, "actor">): Promise<PublicSnapshot> {
  await writeAudit(tx, { ...audit, actor });
  return storeSnapshot(tx, audit.action);
}

/** Runs a public change and drops this instance's cached page once it has committed. */
export async function publicChange<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const result = await db.transaction(fn);
  invalidatePublicCache();
  return result;
}

export function notFound(what: string): NotFoundError {
  return new NotFoundError(`That ${what} does not exist.`);
}

export function changedMeanwhile(what: string, current?: unknown): ConflictError {
  return new ConflictError(`Someone changed this ${what} meanwhile. Review the current version and try again.`, current);
}
