#!/usr/bin/env node
// The e2e web server: a fresh database every run (PGlite folder, or a new PostgreSQL database
// when SITREP_E2E_DATABASE=postgres), the first admin from the environment, a production build.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { hasBuild, spawnChild, startConsole, startReference, stopAll } from "./lib/stack.mjs";

const args = process.argv.slice(2);
const port = Number(args[args.indexOf("--port") + 1] || 3900);
if (!hasBuild()) {
  console.error("No production build found: run `next build` first (npm test does).");
  process.exit(1);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-e2e-"));
let databaseUrl;
if (process.env.SITREP_E2E_DATABASE === "postgres") {
  const adminUrl = process.env.SITREP_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `sitrep_e2e_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
}

// A real OpenID provider in its own process (e2e/fixtures/oidc-provider.mjs) for the single
// sign-on spec; its groups claim maps to Sitrep roles. The spec signs in on http://localhost:PORT:
// Next reports loopback request URLs as "localhost", and Auth.js builds the callback URL from them.
const oidc = { clientId: "sitrep-e2e", clientSecret: "sitrep-e2e-oidc-secret" };
const provider = spawnChild("oidc", process.execPath, [path.join("e2e", "fixtures", "oidc-provider.mjs")], {
  env: { ...process.env, OIDC_CLIENT_ID: oidc.clientId, OIDC_CLIENT_SECRET: oidc.clientSecret, OIDC_REDIRECT_URI: `http://localhost:${port}/api/auth/callback/oidc` },
});
const issuer = await new Promise((resolve, reject) => {
  let buffer = "";
  provider.stdout.on("data", (chunk) => {
    buffer += String(chunk);
    const line = buffer.split("\n").find((l) => l.includes('"oidc.started"'));
    if (line) resolve(JSON.parse(line).issuer);
  });
  provider.on("exit", (code) => reject(new Error(`the OIDC provider exited during start (${code})`)));
});

const env = {
  ...process.env,
  SITREP_PUBLIC_URL: `http://127.0.0.1:${port}`,
  SITREP_OIDC_ISSUER: issuer,
  SITREP_OIDC_CLIENT_ID: oidc.clientId,
  SITREP_OIDC_CLIENT_SECRET: oidc.clientSecret,
  SITREP_OIDC_NAME: "E2E Identity",
  SITREP_OIDC_ROLE_CLAIM: "groups",
  SITREP_OIDC_ROLE_MAP: "sre=responder,sre-leads=commander",
  NODE_ENV: "production",
  SITREP_DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl ?? "",
  AUTH_SECRET: "e2e-secret-not-for-production-0123456789",
  SITREP_ADMIN_EMAIL: "admin@e2e.test",
  SITREP_ADMIN_PASSWORD: "admin-password-e2e",
  SITREP_E2E_DATA_DIR: dataDir,
};
fs.writeFileSync(path.join(os.tmpdir(), "sitrep-e2e-current.json"), JSON.stringify({ dataDir, databaseUrl, port }));
// The reference environment and its host agent on ephemeral ports, registered as `reference`.
await startReference({ dataDir, env, basePort: 0, agentPort: 0, quiet: true });
startConsole({ port, env });
process.on("exit", () => fs.rmSync(dataDir, { recursive: true, force: true }));
process.on("SIGTERM", () => stopAll(0));
