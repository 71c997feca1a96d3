import "server-only";
import { asc, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEntries, auditHead } from "@/db/schema";
import { GENESIS_HASH, entryHash } from "./canonical";

export type ChainVerdict =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; brokenSeq: number; reason: string };

const PAGE = 1000;

/** Walks the whole chain in order and names the first entry that does not fit. */
export async function verifyAuditChain(db: Db): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEntries)
      .where(gt(auditEntries.seq, expectedSeq - 1))
      .orderBy(asc(auditEntries.seq))
      .limit(PAGE);
    for (const entry of page) {
      if (entry.seq !== expectedSeq) {
        return { ok: false, entries: count, brokenSeq: expectedSeq, reason: `entry ${expectedSeq} is missing (next present is ${entry.seq})` };
      }
      if (entry.prevHash !== prevHash) {
        return { ok: false, entries: count, brokenSeq: entry.seq, reason: `entry ${entry.seq} does not point at the hash of entry ${entry.seq - 1}` };
      }
      if (entryHash(entry) !== entry.hash) {
        return { ok: false, entries: count, brokenSeq: entry.seq, reason: `entry ${entry.seq} was altered: its content no longer matches its hash` };
      }
      prevHash = entry.hash;
      expectedSeq++;
      count++;
    }
    if (page.length < PAGE) {
      const [head] = await db.select().from(auditHead).limit(1);
      const lastSeq = expectedSeq - 1;
      if ((head?.seq ?? 0) !== lastSeq || (head && head.hash !== prevHash)) {
        return { ok: false, entries: count, brokenSeq: (head?.seq ?? lastSeq), reason: `the chain ends at entry ${lastSeq} but its head says ${head?.seq ?? 0}: newest entries were removed` };
      }
      return { ok: true, entries: count, headHash: prevHash };
    }
  }
}
