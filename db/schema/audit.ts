import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Append-only and without foreign keys, so history outlives what it describes.
// Each row carries the hash of the previous one: an edited or deleted row breaks the chain.
export const auditEntries = pgTable(
  "audit_entries",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    requestId: text("request_id"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_entries_at_idx").on(t.at),
    index("audit_entries_actor_idx").on(t.actorId),
    index("audit_entries_target_idx").on(t.targetType, t.targetId),
    index("audit_entries_action_idx").on(t.action),
  ],
);

export type AuditEntry = typeof auditEntries.$inferSelect;

/** The chain's head, written with every entry: deleting the newest entries is detectable too. */
export const auditHead = pgTable("audit_head", {
  id: text("id").primaryKey().default("head"),
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
});
