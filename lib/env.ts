import path from "node:path";
import { z } from "zod";

// The one place that reads process.env. Everything else imports `env`.
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optional,
  SITREP_DATA_DIR: optional,
  SITREP_ADMIN_EMAIL: optional,
  SITREP_ADMIN_PASSWORD: optional,
  AUTH_SECRET: optional,
  // The console's public origin (https://sitrep.example.com): every absolute link it writes
  // (feeds, webhooks) and the origin state-changing requests must come from.
  SITREP_PUBLIC_URL: optional.refine((v) => v === undefined || isPublicOrigin(v), {
    message: "SITREP_PUBLIC_URL must be an http(s) origin without path, query or credentials, e.g. https://sitrep.example.com",
  }),
  PORT: optional,
  SITREP_OIDC_ISSUER: optional,
  SITREP_OIDC_CLIENT_ID: optional,
  SITREP_OIDC_CLIENT_SECRET: optional,
  SITREP_OIDC_NAME: optional,
  SITREP_OIDC_ROLE_CLAIM: optional,
  SITREP_OIDC_ROLE_MAP: optional,
  SITREP_OIDC_DEFAULT_ROLE: optional,
  SITREP_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Behind a reverse proxy: take the client address from the last X-Forwarded-For entry.
  SITREP_TRUST_PROXY: z.enum(["true", "false", ""]).optional().transform((v) => v === "true"),
  // How often every environment's runtime metrics are scraped and the trigger rules judged.
  SITREP_SCRAPE_INTERVAL_MS: z.coerce.number().int().min(1_000, "SITREP_SCRAPE_INTERVAL_MS must be at least 1000 (one second)").max(3_600_000).default(15_000),
  // Bearer token that /metrics requires (Prometheus `authorization.credentials`); unset: /metrics is off.
  SITREP_METRICS_TOKEN: optional.refine((v) => v === undefined || v.length >= 16, "SITREP_METRICS_TOKEN must be at least 16 characters"),
  // Set by `npm start`: the supervisor's status file (scripts/lib/supervisor.mjs), read for health and the Overview.
  SITREP_SUPERVISOR_STATUS: optional,
  // PostgreSQL: longest a statement may run (server-side) before it is cancelled; 0 = no limit.
  SITREP_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  NEXT_PHASE: optional,
  // Tests only: which driver the database tests use, and the PostgreSQL server to create databases on.
  SITREP_TEST_DRIVER: z.enum(["pglite", "postgres"]).default("pglite"),
  SITREP_TEST_PG_URL: z.string().default("postgres://postgres@127.0.0.1:5432/postgres"),
  SITREP_TEST_PGLITE_TEMPLATE: optional,
  SITREP_TEST_DB_PREFIX: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/).default("sitrep_test"),
});

function isPublicOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash;
  } catch {
    return false;
  }
}

const parsed = schema.safeParse(process.env);
if (!parsed.success) {
  const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  throw new Error(`Invalid environment: ${issues}`);
}

export const env = {
  ...parsed.data,
  dataDir: path.resolve(/*turbopackIgnore: true*/ parsed.data.SITREP_DATA_DIR ?? path.join(process.cwd(), ".data")),
  isBuild: parsed.data.NEXT_PHASE === "phase-production-build",
  /** Origin for absolute links; without SITREP_PUBLIC_URL, the local address `npm start` serves. */
  publicOrigin: parsed.data.SITREP_PUBLIC_URL ? new URL(parsed.data.SITREP_PUBLIC_URL).origin : `http://localhost:${parsed.data.PORT ?? "3000"}`,
};

export type Env = typeof env;
