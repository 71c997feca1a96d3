import "server-only";
import { desc, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEntries, auditHead } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { GENESIS_HASH, canonicalJson, entryHash } from "./canonical";

export type AuditInput = {
  actor: Actor | null;
  /** e.g. "user.create", "incident.status.change", "permission.denied" */
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string;
  /** For actions by someone not signed in (a failed sign-in): who they claimed to be. */
  claimedEmail?: string;
};

// Serialises writers on the chain head so two transactions never chain off the same entry.
const AUDIT_CHAIN_LOCK = 7270002;

/** Appends one entry. Call it inside the transaction that makes the change it records. */
export async function writeAudit(tx: Db, input: AuditInput) {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ seq: auditEntries.seq, hash: auditEntries.hash })
    .from(auditEntries)
    .orderBy(desc(auditEntries.seq))
    .limit(1);
  const fields = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(),
    actorId: input.actor?.userId ?? null,
    actorEmail: input.actor?.email ?? input.claimedEmail ?? null,
    actorRole: input.actor?.role ?? null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    // Stored exactly as hashed: plain JSON, no undefined, no class instances.
    before: input.before === undefined ? null : JSON.parse(canonicalJson(input.before)),
    after: input.after === undefined ? null : JSON.parse(canonicalJson(input.after)),
    requestId: input.requestId ?? input.actor?.requestId ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const [entry] = await tx
    .insert(auditEntries)
    .values({ ...fields, hash: entryHash(fields) })
    .returning();
  await tx
    .insert(auditHead)
    .values({ id: "head", seq: entry.seq, hash: entry.hash })
    .onConflictDoUpdate({ target: auditHead.id, set: { seq: entry.seq, hash: entry.hash } });
  return entry;
}
