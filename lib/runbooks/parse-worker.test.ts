import { describe, expect, it } from "vitest";
import { RunbookParseError } from "@/lib/runbooks/parse";
import { inflateJson } from "@/lib/runbooks/parse/deflated-json";
import { parseInWorker, parseInWorkerStaged, parseWorkerStats } from "./parse-worker";

// The parse workers: results prepared for storing, a time budget per file counted in the worker's
// CPU time, and a worker replaced after a refusal so the next file still parses.

describe("parse workers", () => {
  it("answer with the fields the write path reads and the structure and document as deflated JSON", async () => {
    const prepared = await parseInWorker("# Disk full\n\n## Diagnosis\n\n- Check the volume: `df -h /var/lib/data`\n", { fileName: "disk-full.md" });
    expect(prepared.head).toMatchObject({ title: "Disk full", slug: "disk-full", counts: { steps: 1 } });
    expect(prepared.head.stepIds).toHaveLength(1);
    const stored = inflateJson(prepared.stored) as { steps: Array<{ id: string }>; stored: number };
    expect(stored.steps.map((s) => s.id)).toEqual(prepared.head.stepIds);
    expect(inflateJson(prepared.document!)).toMatchObject({ format: 1 });
  });

  it("answer in two stages when asked: the head first, then the same body as a whole parse", async () => {
    const markdown = "# Disk full\n\n## Diagnosis\n\n- Check the volume: `df -h /var/lib/data`\n";
    const order: string[] = [];
    const staged = await parseInWorkerStaged(markdown, { fileName: "disk-full.md" });
    order.push("head");
    const body = await staged.body.then((b) => (order.push("body"), b));
    expect(order).toEqual(["head", "body"]);
    const whole = await parseInWorker(markdown, { fileName: "disk-full.md" });
    expect(staged.head).toEqual(whole.head);
    expect(staged.outlineJson).toBe(whole.outlineJson);
    expect(inflateJson(body.stored)).toEqual(inflateJson(whole.stored));
    // A file refused before its head is read rejects the staged parse itself.
    const refused = await parseInWorkerStaged("\u0000\u0001binary", { fileName: "x.md" }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RunbookParseError);
  });

  it("refuse a file over its budget with a clear error, then parse the next file in a fresh worker", async () => {
    const big = `# Many steps\n\n## Diagnosis\n\n${"- Look at the pods: `kubectl -n $NAMESPACE get pods -o wide`\n".repeat(20_000)}`;
    const refused = await parseInWorker(big, { fileName: "many.md", budgetMs: 30 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RunbookParseError);
    expect(refused).toMatchObject({ code: "too-slow" });
    expect((refused as Error).message).toMatch(/took longer than 0.03 s/);
    const before = parseWorkerStats().parses;
    const next = await parseInWorker("# Next\n\n```sh\nuptime\n```\n", { fileName: "next.md" });
    expect(next.head.counts.steps).toBe(1);
    expect(parseWorkerStats().parses).toBe(before + 1);
  });
  it("a file that keeps a worker busy does not hold the files queued behind it", async () => {
    const big = `# Many steps\n\n## Diagnosis\n\n${"- Look at the pods: `kubectl -n $NAMESPACE get pods -o wide`\n".repeat(15_000)}`;
    const order: string[] = [];
    const bigParse = parseInWorker(big, { fileName: "many.md" }).then(() => order.push("big"));
    const small = parseInWorker("# Small\n\n```sh\nuptime\n```\n", { fileName: "small.md" }).then(() => order.push("small"));
    await Promise.all([bigParse, small]);
    expect(order).toEqual(["small", "big"]);
  });
});
