import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { env } from "@/lib/env";
import { keepDataFolderPrivate, tightenDataFolder } from "@/lib/data-folder";
import { acquirePgliteLock, releasePgliteLock } from "./pglite-lock";
import { createPostgresListener } from "./listener";
import { runMigrations } from "./migrate";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Raw LISTEN support differs per driver; lib/live hides the difference. `onReconnect` runs after
 * the listening connection was lost and listens again: notifications in between are gone.
 */
export type Listener = (channel: string, onPayload: (payload: string) => void, onReconnect?: () => void) => Promise<() => Promise<void>>;

export type Database = {
  db: Db;
  driver: "pglite" | "postgres";
  listen: Listener;
  close: () => Promise<void>;
  /** Where the data lives, for messages: a folder or a redacted URL. */
  location: string;
  /** The postgres.js client, for the few things that need a dedicated connection. */
  postgresClient?: postgres.Sql;
};

/** The rows of `db.execute(…)`: postgres.js returns them as the result; PGlite wraps them in `.rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

// The embedded database has one connection: while a transaction runs there, every other query
// (a health check, a page) waits for it. Long writers keep their transactions shorter on it.
const oneConnection = ((globalThis as unknown as { __sitrepOneConnection?: WeakSet<object> }).__sitrepOneConnection ??= new WeakSet<object>());

/** Whether every query of this database waits for any transaction in progress (PGlite). */
export function sharesOneConnection(db: Db): boolean {
  return oneConnection.has(db);
}

export type OpenOptions = { url?: string; dataDir?: string; migrate?: boolean };

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  if (options.url) {
    if (options.migrate !== false) {
      // On its own connection without the statement timeout: a migration (or waiting for another
      // instance's) may take longer than any request should.
      const migrating = openPostgres(options.url, { statementTimeoutMs: 0, max: 2 });
      try {
        await runMigrations(migrating);
      } finally {
        await migrating.close();
      }
    }
    return openPostgres(options.url);
  }
  const database = await openPglite(options.dataDir!);
  if (options.migrate !== false) await runMigrations(database);
  return database;
}

// Fail fast: a dead or unreachable server costs seconds, not postgres.js's default 30 s connect
// timeout; a statement stuck behind a lock or a transaction left open by a lost client is ended
// by the server. Both can be raised for unusual installations.
const CONNECT_TIMEOUT_S = 3;
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

/**
 * Seconds before a connection that closed with an error connects again. postgres.js's default
 * grows 3^n/100 s up to 20 s with a counter shared by the whole pool that only a successful
 * connect resets: ten connections dropped at once (a server restart) put the next request 20 s
 * out. A dropped connection is normal; a server that is down refuses quickly. At most 1 s.
 */
export function reconnectDelayS(retries: number): number {
  return Math.min(0.05 * retries, 1) * (0.5 + Math.random() / 2);
}

function openPostgres(url: string, options: { statementTimeoutMs?: number; max?: number } = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: CONNECT_TIMEOUT_S,
    // TCP keepalive after 5 s idle: a half-open connection (host gone) is noticed.
    keep_alive: 5,
    backoff: reconnectDelayS,
    connection: {
      application_name: "sitrep",
      statement_timeout: options.statementTimeoutMs ?? env.SITREP_DB_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  });
  const listener = createPostgresListener(url, { connectTimeoutS: CONNECT_TIMEOUT_S });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    driver: "postgres",
    postgresClient: client,
    location: url.replace(/\/\/[^@/]*@/, "//***@"),
    listen: (channel, onPayload, onReconnect) => listener.listen(channel, onPayload, onReconnect),
    close: async () => {
      await listener.close();
      await client.end({ timeout: 5 });
    },
  };
}

/**
 * PGlite's defaults with a smaller buffer cache than PostgreSQL's 128 MB: the embedded database's
 * pages are a read away in the operating system's cache, and every megabyte here is resident.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

const BYTEA = 17;
/**
 * PGlite's own bytea codec converts byte by byte in JavaScript (about 35 ms to send, more to read,
 * for a 0.4 MB value: a large runbook's deflated structure). Bytes go as PostgreSQL's hex text,
 * made by Buffer; they come back as that text, which the bytea columns decode (db/schema).
 */
const BYTEA_CODEC = {
  serializers: { [BYTEA]: (value: Uint8Array) => `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}` },
  parsers: { [BYTEA]: (hex: string) => hex },
};

/**
 * The types drizzle's PGlite driver reads as the text PostgreSQL sends (its columns map them:
 * timestamps, intervals, dates and their arrays), passed with every query. PGlite merges a query's
 * parsers into a copy of its ~300 defaults each time: 0.1 ms a query, as much as running a simple
 * one. Installed once on the client instead, and dropped from a query that passes exactly these.
 */
const AS_SENT_TYPES = [1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182];
const asSent = (value: string) => value;
const PGLITE_PARSERS = { ...Object.fromEntries(AS_SENT_TYPES.map((type) => [type, asSent])), ...BYTEA_CODEC.parsers };

type QueryOptions = { parsers?: Record<number, unknown> } & Record<string, unknown>;
type Queryable = { query: (text: string, params?: unknown[], options?: QueryOptions) => Promise<unknown> };

function withoutAsSentParsers(options: QueryOptions | undefined): QueryOptions | undefined {
  const parsers = options?.parsers;
  if (!parsers) return options;
  const types = Object.keys(parsers);
  if (types.length !== AS_SENT_TYPES.length || !AS_SENT_TYPES.every((type) => type in parsers)) return options;
  const { parsers: _dropped, ...rest } = options;
  return rest;
}

/** Makes `query` (on the client and on its transactions) skip the per-query merge above. */
function installParsers(client: PGlite): void {
  const patch = (target: Queryable) => {
    const query = target.query.bind(target);
    target.query = (text, params, options) => query(text, params, withoutAsSentParsers(options));
  };
  patch(client as unknown as Queryable);
  const transaction = client.transaction.bind(client);
  client.transaction = ((run: (tx: unknown) => Promise<unknown>) =>
    transaction((tx) => {
      patch(tx as unknown as Queryable);
      return run(tx);
    })) as PGlite["transaction"];
}

/**
 * Creates a new PGlite data folder in a short-lived child process. Creating one in this process
 * leaves the bootstrap's memory (about 600 MB of WebAssembly heap) held for as long as the
 * database stays open. Returns false when the child cannot run; the caller then creates it here.
 */
async function initPgliteInChild(dataDir: string): Promise<boolean> {
  let entry: string;
  try {
    entry = pathToFileURL(createRequire(path.join(process.cwd(), "package.json")).resolve("@electric-sql/pglite")).href;
  } catch {
    return false;
  }
  const script = "const { PGlite } = await import(process.argv[1]); const db = new PGlite(process.argv[2]); await db.waitReady; await db.close();";
  return new Promise((resolve) => {
    execFile(process.execPath, ["--input-type=module", "-e", script, entry, dataDir], { timeout: 120_000, env: { ...process.env, NODE_OPTIONS: "" } }, (error, _stdout, stderr) => {
      if (error) console.warn(JSON.stringify({ time: new Date().toISOString(), level: "warn", event: "pglite_init_child_failed", error: String(stderr || error).slice(0, 500) }));
      resolve(!error && fs.existsSync(path.join(dataDir, "PG_VERSION")));
    });
  });
}

async function openPglite(dataDir: string): Promise<Database> {
  acquirePgliteLock(dataDir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) await initPgliteInChild(dataDir);
  const client = new PGlite(dataDir, { startParams: PGLITE_START_PARAMS, serializers: BYTEA_CODEC.serializers, parsers: PGLITE_PARSERS });
  await client.waitReady;
  installParsers(client);
  // PGlite writes its files 0666: owner-only now, and kept so while this process runs.
  tightenDataFolder(dataDir);
  const stopTightening = keepDataFolderPrivate(dataDir);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  oneConnection.add(db);
  return {
    db,
    driver: "pglite",
    location: dataDir,
    listen: async (channel, onPayload) => client.listen(channel, onPayload),
    close: async () => {
      await client.close();
      stopTightening();
      tightenDataFolder(dataDir);
      releasePgliteLock(dataDir);
    },
  };
}

// Pages and route handlers load separate copies of this module; one database per process.
const globalForDb = globalThis as unknown as { __sitrepDatabase?: Promise<Database> };

/** The process-wide database, opened and migrated on first use. Never called during `next build`. */
export function getDatabase(): Promise<Database> {
  if (env.isBuild) throw new Error("The database must not be opened during next build.");
  if (!globalForDb.__sitrepDatabase) {
    const opening = openDatabase({ url: env.DATABASE_URL, dataDir: path.join(env.dataDir, "pglite") });
    globalForDb.__sitrepDatabase = opening;
    opening.catch(() => {
      // Let the next call retry (e.g. PostgreSQL was restarting) instead of caching a failure.
      if (globalForDb.__sitrepDatabase === opening) globalForDb.__sitrepDatabase = undefined;
    });
  }
  return globalForDb.__sitrepDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}
