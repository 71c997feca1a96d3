// Polls a health URL from a separate process, as a load balancer would, so what is measured is
// the server's answer time, not the caller's own event loop (a Playwright runner busy uploading a
// file, a bench importing in-process).
//
// The poller also watches its own 5 ms timer. When that timer was late by tens of milliseconds
// while an answer was pending, the whole machine stalled (every process on it is late at the
// same moment: seen on these 2-core machines, 130 ms at once in the console, the reference
// environment and the poller), so that answer's time says nothing about the console.
import { spawn } from "node:child_process";

const POLLER = `
const [url, intervalMs] = [process.argv[1], Number(process.argv[2])];
const samples = [];
let polling = true;
let lateMs = 0;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  lateMs = Math.max(lateMs, now - last - 5);
  last = now;
}, 5);
process.stdin.on("data", () => { polling = false; });
(async () => {
  await fetch(url).then((r) => r.text());
  process.stdout.write("ready\\n");
  while (polling) {
    lateMs = 0;
    const started = performance.now();
    await fetch(url).then((r) => r.text());
    samples.push([performance.now() - started, lateMs]);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  process.stdout.write(JSON.stringify(samples) + "\\n");
  process.exit(0);
})();
`;

/** One answer: its time, and how late the poller's own 5 ms timer ran while it was pending. */
export type HealthSample = { ms: number; pollerLateMs: number };

export type HealthPoll = {
  /** The answer times. */
  stop: () => Promise<number[]>;
  /** The answers with the poller's own lateness beside each. */
  stopWithSamples: () => Promise<HealthSample[]>;
};

export async function pollHealth(url: string, options: { intervalMs?: number } = {}): Promise<HealthPoll> {
  const child = spawn(process.execPath, ["-e", POLLER, url, String(options.intervalMs ?? 20)], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (out += chunk));
  while (!out.includes("ready\n")) await new Promise((r) => setTimeout(r, 10));
  const stopWithSamples = async (): Promise<HealthSample[]> => {
    child.stdin.write("stop\n");
    await new Promise((resolve) => child.once("exit", resolve));
    const rows = JSON.parse(out.slice(out.indexOf("ready\n") + 6).trim()) as [number, number][];
    return rows.map(([ms, pollerLateMs]) => ({ ms, pollerLateMs }));
  };
  return { stopWithSamples, stop: async () => (await stopWithSamples()).map((s) => s.ms) };
}

/** A poller this late (ms) while an answer was pending means the machine, not the server, stalled. */
export const MACHINE_STALL_MS = 50;
