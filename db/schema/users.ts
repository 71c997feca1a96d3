import { boolean, index, integer, pgEnum, pgTable, text, timestamp, primaryKey, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["admin", "commander", "responder", "viewer"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull(),
    // Null for accounts that only sign in through OIDC.
    passwordHash: text("password_hash"),
    authProvider: text("auth_provider").notNull().default("credentials"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledBy: uuid("disabled_by"),
    version: integer("version").notNull().default(1),
    // Every session carries the value it was issued with; bumping it ends them all at once
    // (disabled, role lowered, password reset). Signing out ends one session (revoked_sessions).
    sessionVersion: integer("session_version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

/** Sessions ended by signing out, remembered until they would have expired anyway. */
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    userId: uuid("user_id").notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("revoked_sessions_expires_idx").on(t.expiresAt)],
);

/**
 * Sign-in attempts per (lower-cased) email and client address, known account or not. Counted in one
 * statement before the password is checked, so parallel guesses cannot all slip through; refused
 * attempts do not extend the wait, and a wait only ever slows one address down.
 */
export const signInThrottles = pgTable(
  "sign_in_throttles",
  {
    email: text("email").notNull(),
    client: text("client").notNull().default("unknown"),
    failures: integer("failures").notNull().default(0),
    lastFailureAt: timestamp("last_failure_at", { withTimezone: true }),
    blockedUntil: timestamp("blocked_until", { withTimezone: true }),
    // Whether the latest attempt was let through to the password check (set by the same statement).
    lastAllowed: boolean("last_allowed").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.email, t.client] })],
);

/** Small admin-editable settings (JSON values) keyed by name. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid("updated_by"),
  version: integer("version").notNull().default(1),
});

export type User = typeof users.$inferSelect;
export type Role = (typeof roleEnum.enumValues)[number];
export const roles = roleEnum.enumValues;
