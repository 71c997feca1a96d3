// Import time for a 1 MB runbook through the library's import path (decode, hash, parse, one
// transaction with revision, links and audit entry) on a fresh embedded database. Goal: < 200 ms.
// The parse runs once (it dominates); the storage share is timed on its own from the stored structure.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { runbookRevisions, runbooks } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { importRunbooks } from "@/lib/runbooks";
import { sha256Hex } from "@/lib/runbooks/bytes";
import type { ParsedRunbook } from "@/lib/runbooks/parse";
import { writeRevision } from "@/lib/runbooks/store";

const GOAL_MS = 200;
const seeds = path.resolve(process.cwd(), "../shared/seeds");
const parts = fs.readdirSync(seeds).sort().slice(0, 3).map((f) => fs.readFileSync(path.join(seeds, f), "utf8"));

/** About 1 MB of realistic runbook text: the seeds' sections repeated under numbered headings. */
function oneMegabyteRunbook(): string {
  let text = "# Bench runbook\n\n**Owner:** bench\n\n";
  for (let i = 1; Buffer.byteLength(text) < 1024 * 1024; i++) {
    const part = parts[i % parts.length].replace(/^# .*$/m, `## Part ${i}`).replace(/^(#{2,3}) /gm, "$1# ");
    text += part + "\n\n";
  }
  return text;
}

async function main() {
  const markdown = oneMegabyteRunbook();
  const bytes = new TextEncoder().encode(markdown);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-bench-runbooks-"));
  const database = await openDatabase({ dataDir: path.join(dir, "pglite") });
  try {
    const ctx = { actor: systemActor(), db: database.db };
    // Warm up the parser and the database with a small file.
    await importRunbooks(ctx, [{ name: "warm.md", bytes: new TextEncoder().encode(parts[0]) }]);

    let t = performance.now();
    const cpu = process.cpuUsage();
    const [created] = await importRunbooks(ctx, [{ name: "bench.md", bytes }]);
    const importMs = performance.now() - t;
    // CPU time of this process (PGlite runs in-process): meaningful even when the machine is busy.
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (created.status !== "created") throw new Error(`import failed: ${JSON.stringify(created)}`);
    console.log(`runbook: ${(bytes.byteLength / 1024 / 1024).toFixed(2)} MB, ${created.steps} steps, ${created.tables} tables, ${created.checklists} checklists`);
    console.log(`import of a 1 MB runbook (new revision): ${importMs.toFixed(1)} ms  (goal < ${GOAL_MS} ms: ${importMs < GOAL_MS ? "met" : "NOT met"}); CPU ${cpuMs.toFixed(1)} ms`);

    const [row] = await database.db
      .select({ parsed: runbookRevisions.parsed })
      .from(runbookRevisions)
      .innerJoin(runbooks, eq(runbooks.id, runbookRevisions.runbookId))
      .where(eq(runbooks.slug, created.slug));
    const parsed = row.parsed as ParsedRunbook;
    t = performance.now();
    await database.db.transaction((tx) =>
      writeRevision(tx, ctx, { existing: undefined, slug: "bench-copy", markdown, sha256: sha256Hex(bytes), parsed, source: "import", fileName: "bench-copy.md" }),
    );
    const storeMs = performance.now() - t;
    console.log(`  storage share (revision + ${(JSON.stringify(parsed).length / 1024 / 1024).toFixed(1)} MB structure as jsonb, links, audit): ${storeMs.toFixed(1)} ms`);
    console.log(`  parser share (import − storage): ${(importMs - storeMs).toFixed(1)} ms`);

    t = performance.now();
    const [same] = await importRunbooks(ctx, [{ name: "bench.md", bytes }]);
    console.log(`re-import of the same 1 MB file (no-op by hash): ${(performance.now() - t).toFixed(1)} ms  [${same.status}]`);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
