import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { analyzeRunbook } from "@/lib/runbooks/parse";
import { prepareRevision } from "@/lib/runbooks/parse/prepared";
import { bundledWorkerFile } from "./parse-worker-bundle";

// The parse worker bundle: built from the sources, answering exactly as the parser does in
// process, and rebuilt when a source it was built from changes.

const entry = path.join(process.cwd(), "lib/runbooks/parse/worker.mjs");
const seedsDir = path.join(process.cwd(), "../shared/seeds");

function parseWith(file: string, markdown: string, fileName: string): Promise<unknown> {
  const worker = new Worker(file);
  return new Promise<unknown>((resolve, reject) => {
    worker.on("message", (message: { ready?: boolean; result?: unknown; ok?: boolean; message?: string }) => {
      if (message.ready) return void worker.postMessage({ id: 1, markdown, fileName });
      if (message.ok) resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.on("error", reject);
  }).finally(() => worker.terminate());
}

describe("parse worker bundle", () => {
  it("parses every seed exactly as the parser does in this process", async () => {
    const file = await bundledWorkerFile(entry);
    expect(file).toMatch(/node_modules\/\.cache\/sitrep\/runbook-parse-worker(-\d+)?\.mjs$/);
    for (const name of fs.readdirSync(seedsDir).filter((n) => n.endsWith(".md"))) {
      const markdown = fs.readFileSync(path.join(seedsDir, name), "utf8");
      const expected = prepareRevision(analyzeRunbook(markdown, { fileName: name, document: true }));
      expect(await parseWith(file!, markdown, name)).toEqual(expected);
    }
  });

  it("is rebuilt when a source it was built from changed", async () => {
    const file = (await bundledWorkerFile(entry))!;
    const manifestFile = `${file}.json`;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { inputs: Record<string, [number, number]> };
    const source = Object.keys(manifest.inputs).find((input) => input.endsWith("lib/runbooks/parse/derive.ts"))!;
    expect(source).toBeDefined();
    // As if derive.ts had been edited after the build: the recorded size no longer matches.
    manifest.inputs[source] = [manifest.inputs[source][0], manifest.inputs[source][1] + 1];
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const before = fs.statSync(file).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await bundledWorkerFile(entry)).toBe(file);
    expect(fs.statSync(file).mtimeMs).toBeGreaterThan(before);
    const rebuilt = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { inputs: Record<string, [number, number]> };
    expect(rebuilt.inputs[source][1]).toBe(fs.statSync(path.resolve(source)).size);
  });
});
