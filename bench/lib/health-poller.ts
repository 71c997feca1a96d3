// Health latency while something runs in this process: an HTTP server here answers like
// /api/health (a query on the console's database), and a separate process polls it every 20 ms,
// as a load balancer would, so a blocked event loop or a database held by a long transaction
// shows up as latency.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@/db/client";
import { migrationState } from "@/db/migrate";

export async function startHealthServer(database: Database): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    migrationState(database).then(
      (state) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", migrations: state })),
      (error) => res.writeHead(503).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/health`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export { pollHealth, type HealthPoll } from "./poll-health";
