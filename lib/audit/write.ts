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
  const [entry] = await writeAuditEntries(tx, [input]);
  return entry;
}

/**
 * Appends several entries in order, chained as if written one by one, in four statements whatever
 * their number (a repository import audits hundreds of runbooks in one transaction).
 */
export async function writeAuditEntries(tx: Db, inputs: AuditInput[]) {
  if (inputs.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ seq: auditEntries.seq, hash: auditEntries.hash })
    .from(auditEntries)
    .orderBy(desc(auditEntries.seq))
    .limit(1);
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const rows = inputs.map((input) => {
    seq += 1;
    const fields = {
      seq,
      at,
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
      prevHash,
    };
    const row = { ...fields, hash: entryHash(fields) };
    prevHash = row.hash;
    return row;
  });
  const entries = [];
  for (let i = 0; i < rows.length; i += 500) entries.push(...(await tx.insert(auditEntries).values(rows.slice(i, i + 500)).returning()));
  const head = entries[entries.length - 1];
  await tx
    .insert(auditHead)
    .values({ id: "head", seq: head.seq, hash: head.hash })
    .onConflictDoUpdate({ target: auditHead.id, set: { seq: head.seq, hash: head.hash } });
  return entries;
}
