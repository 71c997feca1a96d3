#!/usr/bin/env node
// The console's HTTP server: Next's production server behind a plain Node listener, so the
// public status documents can be answered before Next's router (lib/status/fast-path.ts).
// Usage: node scripts/console-server.mjs [-p port] [-H host]   (what `next start` took)
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import next from "next";
import { installUncaughtHandler } from "./lib/process-errors.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const { values } = parseArgs({
  options: { port: { type: "string", short: "p", default: process.env.PORT ?? "3000" }, hostname: { type: "string", short: "H", default: "127.0.0.1" } },
});
const port = Number(values.port);
const hostname = values.hostname;
process.env.NODE_ENV = "production";

const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();
// prepare() installs Next's handler that logs every uncaught error and carries on; ours replaces
// it: postgres.js's known null-socket error on a dropped connection (porsager/postgres#1208) is
// logged and survived, anything else ends the process for the supervisor to restart.
await app.prepare();
installUncaughtHandler();

const server = http.createServer((req, res) => {
  // The one trustworthy client address (lib/http/client-address.ts); never what the client sent.
  req.headers["x-sitrep-client"] = req.socket.remoteAddress ?? "unknown";
  // Registered by the status area's start hook; absent until then, and Next answers everything.
  const fastPath = globalThis.__sitrepPublicFastPath;
  try {
    if (fastPath && fastPath(req, res)) return;
  } catch (error) {
    // Whatever went wrong there, Next's route can still answer (or say what is wrong).
    console.error(error);
    if (res.headersSent) return void res.end();
  }
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.on("upgrade", app.getUpgradeHandler());
server.keepAliveTimeout = 65_000;
// A JSON line like every other (lib/log.ts), written directly: console is routed through lib/log by then.
server.listen(port, hostname, () => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: "info", event: "console.listening", url: `http://${hostname}:${port}` }) + "\n"));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
