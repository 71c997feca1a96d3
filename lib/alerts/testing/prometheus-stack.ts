// Test-only: Debian's prometheus and prometheus-alertmanager started with the rules and configs
// shipped in refenv/prometheus/, their intervals shortened, on free ports and in a scratch folder.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const SHIPPED = path.resolve(import.meta.dirname, "../../../refenv/prometheus");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The shipped rules with their windows and `for:` durations cut to seconds. */
export function shortenedRules(): string {
  return fs
    .readFileSync(path.join(SHIPPED, "oris-runtime.rules.yml"), "utf8")
    .replace(/\[\d+m\]/g, "[10s]")
    .replace(/for: \d+m/g, "for: 2s");
}

/** The shipped Alertmanager config pointed at a webhook URL and token file, with short group timings. */
export function alertmanagerConfig(webhookUrl: string, tokenFile: string): string {
  return fs
    .readFileSync(path.join(SHIPPED, "alertmanager.yml"), "utf8")
    .replace(/url: .*REPLACE-WITH-SOURCE-ID/, `url: ${webhookUrl}`)
    .replace(/credentials_file: .*/, `credentials_file: ${tokenFile}`)
    .replace(/group_wait: .*/, "group_wait: 1s")
    .replace(/group_interval: .*/, "group_interval: 1s")
    .replace(/repeat_interval: .*/, "repeat_interval: 1m");
}

export function prometheusConfig(runtimeTarget: string, alertmanagerTarget: string, environment: string): string {
  return fs
    .readFileSync(path.join(SHIPPED, "prometheus.yml"), "utf8")
    .replace(/scrape_interval: .*/, "scrape_interval: 1s")
    .replace(/evaluation_interval: .*/, "evaluation_interval: 1s")
    .replace(/targets: \["127\.0\.0\.1:9093"\]/, `targets: ["${alertmanagerTarget}"]`)
    .replace(/targets: \["127\.0\.0\.1:8080"\]/, `targets: ["${runtimeTarget}"]`)
    .replace(/environment: reference/, `environment: ${environment}`);
}

async function waitReady(url: string, child: ChildProcess, log: () => string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const missing = (child as ChildProcess & { spawnError?: Error }).spawnError;
    if (missing) throw new Error(`${missing.message}: install Debian's prometheus and prometheus-alertmanager (.ci/run and npm test as root do)`);
    if (child.exitCode !== null) throw new Error(`${url} exited (${child.exitCode}): ${log().slice(-2000)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready in ${timeoutMs} ms: ${log().slice(-2000)}`);
}

function run(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.on("error", (error) => Object.assign(child, { spawnError: error }));
  let output = "";
  child.stdout?.on("data", (c) => (output += String(c)));
  child.stderr?.on("data", (c) => (output = (output + String(c)).slice(-20_000)));
  return { child, log: () => output };
}

export type PrometheusStack = { prometheusUrl: string; alertmanagerUrl: string; stop: () => Promise<void> };

export async function startPrometheusStack(options: { dir: string; runtimeUrl: string; webhookUrl: string; token: string; environment: string }): Promise<PrometheusStack> {
  const { dir } = options;
  fs.mkdirSync(dir, { recursive: true });
  const [promPort, amPort] = [await freePort(), await freePort()];
  const tokenFile = path.join(dir, "sitrep-token");
  fs.writeFileSync(tokenFile, options.token, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "oris-runtime.rules.yml"), shortenedRules());
  fs.writeFileSync(path.join(dir, "alertmanager.yml"), alertmanagerConfig(options.webhookUrl, tokenFile));
  fs.writeFileSync(path.join(dir, "prometheus.yml"), prometheusConfig(new URL(options.runtimeUrl).host, `127.0.0.1:${amPort}`, options.environment));
  const am = run("prometheus-alertmanager", [`--config.file=${path.join(dir, "alertmanager.yml")}`, `--storage.path=${path.join(dir, "am-data")}`, `--web.listen-address=127.0.0.1:${amPort}`, "--cluster.listen-address="]);
  const prom = run("prometheus", [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "prom-data")}`, `--web.listen-address=127.0.0.1:${promPort}`]);
  const stop = async () => {
    for (const p of [prom.child, am.child]) {
      if (p.exitCode === null && p.pid !== undefined) {
        p.kill("SIGTERM");
        await new Promise((r) => p.once("exit", r));
      }
    }
  };
  try {
    await waitReady(`http://127.0.0.1:${amPort}/-/ready`, am.child, am.log);
    await waitReady(`http://127.0.0.1:${promPort}/-/ready`, prom.child, prom.log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { prometheusUrl: `http://127.0.0.1:${promPort}`, alertmanagerUrl: `http://127.0.0.1:${amPort}`, stop };
}
