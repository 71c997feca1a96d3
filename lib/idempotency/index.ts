import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { ConflictError, DatabaseUnavailableError } from "@/lib/errors";
import { canonicalJson, sha256 } from "@/lib/audit/canonical";
import { log } from "@/lib/log";

// A write whose outcome is unknown (the connection died around COMMIT) may or may not have been
// stored. With an idempotency key, retrying it is safe: the key is stored in the same transaction
// as the write, so a retry either finds the key (the first attempt committed: its result is
// returned) or writes for the first time. Such writes are retried once here when the connection
// was lost; a person pressing the button again with the same form gets the same answer.

export { idempotencyKeySchema } from "./key";

const KEEP = sql`interval '1 day'`;
const RETRY_WITHIN_MS = 2_000;
// A keyed write answers within this, whatever the database does: a retry with the key is safe.
const ANSWER_WITHIN_MS = 4_500;
const UNKNOWN_OUTCOME =
  "The database did not confirm this change in time, so it may or may not have been saved. Press the button again: the same form cannot save it twice.";

/** True when the error says the connection to the database was lost (not a refusal by the server). */
export function isConnectionLoss(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT", "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].includes(code)) return true;
      // admin_shutdown, crash_shutdown, cannot_connect_now; connection exceptions (08xxx).
      if (["57P01", "57P02", "57P03"].includes(code) || code.startsWith("08")) return true;
    }
    // postgres.js 3.4.9 writing to a socket it already dropped (porsager/postgres#1208).
    if (e instanceof TypeError && /Cannot read properties of null \(reading 'write'\)/.test(e.message)) return true;
  }
  return false;
}

/**
 * Runs `write` in a transaction, at most once per `key`: a repeat with the same key (the same
 * person, action and request) returns the first result; the same key with a different request is
 * refused, as it is a client's mistake, not a retry. Without a key it is a plain transaction.
 */
export async function onceByKey<T>(db: Db, actor: Actor, action: string, key: string | undefined, request: unknown, write: (tx: Db) => Promise<T>): Promise<T> {
  const requestHash = key ? sha256(canonicalJson(request ?? null)) : null;
  const attempt = () =>
    db.transaction(async (tx) => {
      if (key) {
        const claimed = await tx.insert(idempotencyKeys).values({ key, actorId: actor.userId, action, requestHash }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
        if (!claimed.length) {
          // Another attempt with this key committed first (a concurrent one waited on its row lock).
          const [prior] = await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
          if (!prior || prior.actorId !== actor.userId || prior.action !== action) {
            throw new ConflictError("This form was already used for something else. Reload the page and try again.");
          }
          if (prior.requestHash && prior.requestHash !== requestHash) {
            throw new ConflictError("This idempotency key was already used for a different request; send a new key for new content.");
          }
          return prior.result as T;
        }
      }
      const result = await write(tx);
      if (key) {
        await tx.update(idempotencyKeys).set({ result: JSON.parse(JSON.stringify(result ?? null)) }).where(eq(idempotencyKeys.key, key));
        // Now and then, forget keys nobody will retry any more.
        if (Math.random() < 0.01) await tx.delete(idempotencyKeys).where(and(lt(idempotencyKeys.createdAt, sql`now() - ${KEEP}`)));
      }
      return result;
    });
  if (!key) return attempt();
  const started = Date.now();
  const once = async () => {
    try {
      return await attempt();
    } catch (error) {
      if (!isConnectionLoss(error)) throw error;
      // Retried only while the request is young: failing in seconds beats succeeding late.
      if (Date.now() - started > RETRY_WITHIN_MS) throw Object.assign(new DatabaseUnavailableError(UNKNOWN_OUTCOME), { cause: error });
      log.warn("db.write_retried", { action, reason: error instanceof Error ? error.message : String(error) });
      return attempt();
    }
  };
  // A transaction still waiting for a connection is left to finish or fail on its own; whichever
  // it does, the key makes the person's next press return its result or write it once.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(UNKNOWN_OUTCOME)), ANSWER_WITHIN_MS);
  });
  const running = once();
  running.catch(() => undefined);
  try {
    return await Promise.race([running, late]);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || !isConnectionLoss(error)) throw error;
    throw Object.assign(new DatabaseUnavailableError(UNKNOWN_OUTCOME), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
