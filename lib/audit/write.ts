import "server-only";
import { desc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Cte, withCtes } from "@/db/ctes";
import { auditEntries, auditHead, type AuditEntry } from "@/db/schema";
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

// Serialises writers on the chain head so two transactions never chain off the same entry: the
// head row is locked (FOR UPDATE, held until commit) and read in one round trip, and the entry
// and the new head are written in one statement. The lock's hold time is what bounds the chain's
// throughput (npm run bench live), so it costs as few round trips as possible.
const AUDIT_CHAIN_LOCK = 7270002;

export type AuditHead = { seq: number; hash: string };

/**
 * The chain head locked as `lockHead` locks it, as a CTE body: a writer's earlier statement can
 * carry it and pass the row to `writeAuditEntries`, one round trip fewer while the lock is held.
 * Read it back with `auditHeadOf`.
 */
export const LOCKED_AUDIT_HEAD = sql`select ${auditHead.seq} as seq, ${auditHead.hash} as hash from ${auditHead} where ${auditHead.id} = 'head' for update`;

/** The head a statement carrying LOCKED_AUDIT_HEAD returned as JSON text (null: no head row yet). */
export function auditHeadOf(json: string | null): AuditHead | null {
  if (!json) return null;
  const row = JSON.parse(json) as { seq: number | string; hash: string };
  return { seq: Number(row.seq), hash: row.hash };
}

async function lockHead(tx: Db): Promise<AuditHead> {
  const [head] = await tx.select({ seq: auditHead.seq, hash: auditHead.hash }).from(auditHead).where(eq(auditHead.id, "head")).for("update");
  if (head) return head;
  // No head row yet (an empty chain): made once, under a lock so two first writers agree.
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ seq: auditEntries.seq, hash: auditEntries.hash }).from(auditEntries).orderBy(desc(auditEntries.seq)).limit(1);
  await tx.insert(auditHead).values({ id: "head", seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH }).onConflictDoNothing();
  const [created] = await tx.select({ seq: auditHead.seq, hash: auditHead.hash }).from(auditHead).where(eq(auditHead.id, "head")).for("update");
  return created;
}

/** The entry for `input` at `seq`, chained after `prevHash`. */
function chained(input: AuditInput, seq: number, prevHash: string, at: Date): AuditEntry {
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
  return { ...fields, hash: entryHash(fields) };
}

/** Appends one entry. Call it inside the transaction that makes the change it records. */
export async function writeAudit(tx: Db, input: AuditInput): Promise<AuditEntry> {
  const head = await lockHead(tx);
  const entry: AuditEntry = chained(input, head.seq + 1, head.hash || GENESIS_HASH, new Date());
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  await tx.execute(sql`
    with entry as (
      insert into ${auditEntries} (seq, at, actor_id, actor_email, actor_role, action, target_type, target_id, before, after, request_id, prev_hash, hash)
      values (${entry.seq}, ${entry.at.toISOString()}::timestamptz, ${entry.actorId}, ${entry.actorEmail}, ${entry.actorRole}, ${entry.action}, ${entry.targetType},
              ${entry.targetId}, ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb, ${entry.requestId}, ${entry.prevHash}, ${entry.hash})
      returning seq, hash
    )
    update ${auditHead} set seq = entry.seq, hash = entry.hash from entry where ${auditHead.id} = 'head'`);
  return entry;
}

/** Entries per insert statement. */
const ENTRIES_PER_STATEMENT = 500;

/**
 * Appends several entries in order, chained as if written one by one, in two statements for up to
 * 500 entries (a repository import audits hundreds of runbooks in one transaction): the head's
 * lock, then the entries with the new head. `andThen`: a SELECT run in that last statement (the
 * change's live notifications, `notifications` in lib/live), one round trip less.
 */
export async function writeAuditEntries(tx: Db, inputs: AuditInput[], andThen?: SQL, lockedHead?: AuditHead | null): Promise<void> {
  if (inputs.length === 0) {
    if (andThen) await tx.execute(andThen);
    return;
  }
  const carried = await carryAuditEntries(tx, inputs, andThen, lockedHead);
  await tx.execute(sql`with ${withCtes(carried.ctes)} select ${carried.done}`);
}

/**
 * `writeAuditEntries` but for its last statement, which the caller's own statement carries as
 * CTEs (`ctes`; the caller's statement reads `done` so that `andThen` runs): while the chain's lock
 * is held, one round trip less again. Beyond 500 entries the earlier ones are written here first.
 */
export async function carryAuditEntries(tx: Db, inputs: AuditInput[], andThen?: SQL, lockedHead?: AuditHead | null): Promise<{ ctes: Cte[]; done: SQL }> {
  if (inputs.length === 0) throw new Error("carryAuditEntries: no entries");
  // The same lock as writeAudit's, so single and bulk writers never chain off the same entry;
  // `lockedHead`: the caller's statement already took it (LOCKED_AUDIT_HEAD) in this transaction.
  const locked = lockedHead ?? (await lockHead(tx));
  let seq = locked.seq;
  let prevHash = locked.hash || GENESIS_HASH;
  const at = new Date();
  const rows = inputs.map((input) => {
    const row = chained(input, ++seq, prevHash, at);
    prevHash = row.hash;
    return row;
  });
  const lastStart = Math.floor((rows.length - 1) / ENTRIES_PER_STATEMENT) * ENTRIES_PER_STATEMENT;
  for (let i = 0; i < lastStart; i += ENTRIES_PER_STATEMENT) await tx.insert(auditEntries).values(rows.slice(i, i + ENTRIES_PER_STATEMENT));
  const last = rows[rows.length - 1];
  // Data-modifying CTEs run whether or not the statement reads them; a SELECT only when read.
  const ctes: Cte[] = [
    ["audit_written", tx.insert(auditEntries).values(rows.slice(lastStart)).getSQL()],
    ["audit_head_moved", sql`update ${auditHead} set seq = ${last.seq}, hash = ${last.hash} where ${auditHead.id} = 'head'`],
  ];
  if (andThen) ctes.push(["audit_then", andThen]);
  return { ctes, done: andThen ? sql`(select count(*) from audit_then)` : sql`1` };
}
