import { sql } from "drizzle-orm";
import { deflateJson, inflateJson } from "@/lib/runbooks/parse/deflated-json";
import type { RevisionOutline } from "@/lib/runbooks/parse/prepared";
import { boolean, customType, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** A `bytea` column holding JSON written by us, deflated (`deflated-json.ts`): inflated and parsed on read. */
const deflatedJson = customType<{ data: unknown; driverData: Uint8Array | string }>({
  dataType: () => "bytea",
  toDriver: (value) => deflateJson(JSON.stringify(value)),
  fromDriver: (value) => inflateJson(value),
});

// "stale" is not stored: it is derived from the last validation (see lib/runbooks/status.ts).
export const runbookStatusEnum = pgEnum("runbook_status", ["pending", "draft", "validated"]);
export const validationResultEnum = pgEnum("validation_result", ["pass", "pass_with_notes", "fail"]);

/**
 * One row per runbook slug. A "pending" row is only referenced by another runbook's links (no
 * revision yet); importing or creating that slug turns it into a draft.
 */
export const runbooks = pgTable(
  "runbooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    category: text("category"),
    /** The index entry's description for pending runbooks ("General incident response protocol"). */
    summary: text("summary"),
    status: runbookStatusEnum("status").notNull().default("draft"),
    currentRevisionId: uuid("current_revision_id"),
    owner: text("owner"),
    lastValidatedAt: timestamp("last_validated_at", { withTimezone: true }),
    lastValidatedRevisionId: uuid("last_validated_revision_id"),
    /** Alert names, tags and aliases of the current revision (front matter, file name), for filters and alert lookups. */
    alertNames: text("alert_names").array().notNull().default(sql`'{}'::text[]`),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    aliases: text("aliases").array().notNull().default(sql`'{}'::text[]`),
    /** Front matter weight: orders runbooks within a category. */
    weight: integer("weight"),
    /** Synced from a git repository: which one, and the file's path there (follows renames). */
    repositoryId: uuid("repository_id"),
    sourcePath: text("source_path"),
    /** Archived runbooks (deleted from their repository, or archived by hand) keep their history, hidden from the catalog. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    archivedBy: uuid("archived_by"),
    archivedReason: text("archived_reason"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by"),
  },
  (t) => [
    uniqueIndex("runbooks_slug_unique").on(t.slug),
    index("runbooks_category_idx").on(t.category),
    index("runbooks_alert_names_idx").using("gin", t.alertNames),
    uniqueIndex("runbooks_repository_path_unique").on(t.repositoryId, t.sourcePath),
  ],
);

/** Every revision keeps the markdown exactly as uploaded or saved, with its SHA-256. */
export const runbookRevisions = pgTable(
  "runbook_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runbookId: uuid("runbook_id")
      .notNull()
      .references(() => runbooks.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    markdown: text("markdown").notNull(),
    sha256: text("sha256").notNull(),
    /**
     * The parser's ParsedRunbook in its stored form (`parse/stored.ts`); steps keep their stable ids
     * here (runbookId + revisionId + stepId). Deflated JSON, written by the parse worker: read
     * whole, never searched in SQL (the outline is); see migrations 0014 and 0015.
     */
    parsed: deflatedJson("parsed").notNull(),
    /** What SQL reads of the structure: sections, metadata, counts, links and warnings (`parse/prepared.ts`). */
    outline: jsonb("outline").notNull().$type<RevisionOutline>(),
    /** The document rendered once on write (HTML with step slots); pages never parse markdown. Deflated JSON, as `parsed`. */
    document: deflatedJson("document"),
    /** Version of the parser that wrote `parsed` and `document`; older ones are re-read at start. */
    parserVersion: integer("parser_version").notNull().default(1),
    /** Synced from git: the commit that last changed the file, its author and date, and the path then. */
    commitId: text("commit_id"),
    commitAuthor: text("commit_author"),
    commitDate: timestamp("commit_date", { withTimezone: true }),
    sourcePath: text("source_path"),
    fileName: text("file_name"),
    changeNote: text("change_note"),
    source: text("source").notNull(),
    authorId: uuid("author_id"),
    authorName: text("author_name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // By hash: re-importing identical content is recognised before any parsing.
  (t) => [uniqueIndex("runbook_revisions_number_unique").on(t.runbookId, t.number), index("runbook_revisions_sha256_idx").on(t.sha256)],
);

/** Links from a runbook (its current revision) to other runbooks, by target slug. */
export const runbookLinks = pgTable(
  "runbook_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fromRunbookId: uuid("from_runbook_id")
      .notNull()
      .references(() => runbooks.id, { onDelete: "cascade" }),
    fromRevisionId: uuid("from_revision_id").notNull(),
    targetSlug: text("target_slug").notNull(),
    text: text("text").notNull(),
    href: text("href").notNull(),
    category: text("category"),
    line: integer("line").notNull(),
    /** True while the target has no revision (a pending catalog entry). */
    pending: boolean("pending").notNull().default(true),
  },
  (t) => [index("runbook_links_from_idx").on(t.fromRunbookId), index("runbook_links_target_idx").on(t.targetSlug)],
);

/**
 * Validation Log rows recorded by the console (drill sign-offs). Rows already written in the
 * markdown stay in the markdown; export appends these after them.
 */
export const runbookValidations = pgTable(
  "runbook_validations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runbookId: uuid("runbook_id")
      .notNull()
      .references(() => runbooks.id, { onDelete: "cascade" }),
    revisionId: uuid("revision_id").notNull(),
    /** Day of the validation, YYYY-MM-DD. */
    date: text("date").notNull(),
    validator: text("validator").notNull(),
    environment: text("environment").notNull(),
    result: validationResultEnum("result").notNull(),
    notes: text("notes").notNull().default(""),
    reportUrl: text("report_url"),
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull().defaultNow(),
    signedBy: uuid("signed_by"),
  },
  (t) => [index("runbook_validations_runbook_idx").on(t.runbookId, t.signedAt)],
);

/** A git checkout the library syncs from (by hand, or on a schedule set by an admin). */
export const runbookRepositories = pgTable(
  "runbook_repositories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** Folder of the git checkout on the console's host. */
    path: text("path").notNull(),
    /** Branch to read; null = the checkout's HEAD. */
    branch: text("branch"),
    /** Web address of a commit, `{commit}` replaced by its id (e.g. https://git.example/ops/runbooks/commit/{commit}). */
    commitUrlTemplate: text("commit_url_template"),
    /** Only files under this folder of the repository (null = all). */
    subfolder: text("subfolder"),
    lastCommit: text("last_commit"),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    /** Counts and per-file problems of the last sync; null before the first. */
    lastResult: jsonb("last_result"),
    lastError: text("last_error"),
    /** Minutes between scheduled syncs; null = by hand only. */
    scheduleMinutes: integer("schedule_minutes"),
    nextSyncAt: timestamp("next_sync_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by"),
  },
  (t) => [uniqueIndex("runbook_repositories_path_unique").on(t.path, t.branch), uniqueIndex("runbook_repositories_name_unique").on(t.name)],
);

export type Runbook = typeof runbooks.$inferSelect;
export type RunbookRepository = typeof runbookRepositories.$inferSelect;
export type RunbookRevision = typeof runbookRevisions.$inferSelect;
export type RunbookLink = typeof runbookLinks.$inferSelect;
export type RunbookValidation = typeof runbookValidations.$inferSelect;
export type RunbookStatus = (typeof runbookStatusEnum.enumValues)[number];
export type ValidationResult = (typeof validationResultEnum.enumValues)[number];
