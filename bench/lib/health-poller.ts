// Health latency while something runs in this process: an HTTP server here answers like
// /api/health (a query on the console's database), and a separate process polls it every 20 ms,
// as a load balancer would, so a blocked event loop or a database held by a long transaction
// shows up as latency.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@/db/client";
import { migrationState } from "@/db/migrate";

const POLLER = `
const url = process.argv[1];
const latencies = [];
let polling = true;
process.stdin.on("data", () => { polling = false; });
(async () => {
  await fetch(url).then((r) => r.text());
  process.stdout.write("ready\\n");
  while (polling) {
    const started = performance.now();
    await fetch(url).then((r) => r.text());
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write(JSON.stringify(latencies) + "\\n");
  process.exit(0);
})();
`;

export type HealthPoll = { stop: () => Promise<number[]> };

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

export async function pollHealth(url: string): Promise<HealthPoll> {
  const child = spawn(process.execPath, ["-e", POLLER, url], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (out += chunk));
  while (!out.includes("ready\n")) await new Promise((r) => setTimeout(r, 10));
  return {
    stop: async () => {
      child.stdin.write("stop\n");
      await new Promise((resolve) => child.once("exit", resolve));
      return JSON.parse(out.slice(out.indexOf("ready\n") + 6).trim()) as number[];
    },
  };
}
