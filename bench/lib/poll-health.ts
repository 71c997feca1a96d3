// Polls a health URL every 20 ms from a separate process, as a load balancer would, so what is
// measured is the server's answer time, not the caller's own event loop (a Playwright runner
// busy uploading a file, a bench importing in-process).
import { spawn } from "node:child_process";

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
