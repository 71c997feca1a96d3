import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * An in-console notification for one person (recipient) or, when the addressee has no account
 * (a runbook owner written as a team name), for everyone who may sign drills off. Reads are
 * kept per person in notification_reads, so a group notification is read by each reader alone.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Event type, e.g. drill.scheduled.failed. */
    kind: text("kind").notNull(),
    /** The user it is for; null: for everyone with drills.signoff (the owner has no account). */
    recipientId: text("recipient_id"),
    /** Who it is addressed to as written (the runbook's Owner line). */
    addressedTo: text("addressed_to").notNull().default(""),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    /** Where to go from the notification (a console path). */
    link: text("link"),
    data: jsonb("data").notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("notifications_recipient_idx").on(t.recipientId, t.createdAt)],
);

/** Who has read which notification (group notifications are read per person). */
export const notificationReads = pgTable(
  "notification_reads",
  {
    notificationId: uuid("notification_id")
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    readAt: timestamp("read_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.userId] })],
);

export type Notification = typeof notifications.$inferSelect;
