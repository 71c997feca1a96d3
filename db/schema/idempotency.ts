import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per write made with an idempotency key (a form render's, or an API client's
 * Idempotency-Key header), committed in the same transaction as the write: a retry with the same
 * key finds the row and gets the first result instead of writing again. Kept a day.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    key: text("key").primaryKey(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    /** Hash of what was asked (the validated input without the key): a reuse with other content is refused. */
    requestHash: text("request_hash"),
    result: jsonb("result"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idempotency_keys_created_idx").on(t.createdAt)],
);
