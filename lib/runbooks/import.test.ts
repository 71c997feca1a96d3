import fs from "node:fs";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditEntries, runbookRevisions, runbooks } from "@/db/schema";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import type { Actor } from "@/lib/actor";
import { verifyAuditChain } from "@/lib/audit";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import type { ParsedRunbook } from "@/lib/runbooks/parse";
import {
  createRunbook,
  diffRevisions,
  exportRunbookMarkdown,
  getRunbookView,
  importRunbooks,
  listCatalog,
  recordValidation,
  saveRunbookRevision,
  type ImportFailure,
  type ImportSummary,
} from "@/lib/runbooks";

const SEEDS = path.resolve(process.cwd(), "../shared/seeds");
const seedFiles = fs.readdirSync(SEEDS).sort();
const seed = (prefix: string) => {
  const name = seedFiles.find((f) => f.startsWith(prefix))!;
  return { name, bytes: new Uint8Array(fs.readFileSync(path.join(SEEDS, name))) };
};
const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");
const ok = (r: unknown) => r as ImportSummary;

let t: TestDatabase;
let commander: Actor;
let viewer: Actor;
let responder: Actor;
const ctx = () => ({ actor: commander, db: t.db });

beforeAll(async () => {
  t = await createTestDb();
  commander = (await makeUser(t.db, { role: "commander" })).actor;
  viewer = (await makeUser(t.db, { role: "viewer" })).actor;
  responder = (await makeUser(t.db, { role: "responder" })).actor;
});
afterAll(async () => t.cleanup());

async function currentParsed(slug: string): Promise<{ markdown: string; parsed: ParsedRunbook; number: number }> {
  const view = await getRunbookView(ctx(), slug);
  return view.current!;
}

describe(`runbook import (${process.env.SITREP_TEST_DRIVER ?? "pglite"})`, () => {
  let slugs: Record<string, string>;

  it("imports all four seeds unchanged, with their structure", async () => {
    const files = seedFiles.map((f) => ({ name: f, bytes: new Uint8Array(fs.readFileSync(path.join(SEEDS, f))) }));
    const results = await importRunbooks(ctx(), files);
    expect(results.map((r) => r.status)).toEqual(["created", "created", "created", "created"]);
    slugs = Object.fromEntries(results.map((r) => [r.file.slice(0, 3), ok(r).slug]));
    for (const [i, r] of results.entries()) {
      const stored = await currentParsed(ok(r).slug);
      expect(stored.markdown).toBe(fs.readFileSync(path.join(SEEDS, seedFiles[i]), "utf8"));
      expect(ok(r).sha256).toBe(sha(files[i].bytes));
      expect(ok(r).revision).toBe(1);
    }
    // The structure and the document are stored deflated (a zlib stream starts with 0x78), smaller than their JSON.
    const [bytes] = await t.db
      .select({ first: sql<number>`get_byte(${runbookRevisions.parsed}, 0)`, firstDocument: sql<number>`get_byte(${runbookRevisions.document}, 0)`, size: sql<number>`octet_length(${runbookRevisions.parsed})`, parsed: runbookRevisions.parsed })
      .from(runbookRevisions)
      .innerJoin(runbooks, eq(runbooks.currentRevisionId, runbookRevisions.id))
      .where(eq(runbooks.slug, slugs["000"]));
    expect([bytes.first, bytes.firstDocument]).toEqual([0x78, 0x78]);
    expect(Number(bytes.size)).toBeLessThan(JSON.stringify(bytes.parsed).length / 3);

    // Seed 000: steps, kinds, placeholders, expectations.
    const s0 = await currentParsed(slugs["000"]);
    expect(ok(results[0])).toMatchObject({ steps: s0.parsed.steps.length });
    expect(s0.parsed.steps.length).toBeGreaterThanOrEqual(7);
    const commands0 = s0.parsed.steps.flatMap((s) => s.commands);
    const missing = commands0.find((c) => c.source.includes("missing-release-id"))!;
    expect(missing.expectation.exit).toBe("failure");
    const acquire = commands0.find((c) => c.http?.path === "/api/slots/acquire")!;
    expect(acquire.kind).toBe("http");
    expect(acquire.http).toMatchObject({ api: "control", method: "POST" });
    expect(acquire.assertions).toEqual(expect.arrayContaining([expect.objectContaining({ path: "queue_reason", value: "WAITING_FOR_SLOT" })]));
    expect(s0.parsed.placeholders.map((p) => p.name)).toEqual(expect.arrayContaining(["run_id", "slot_id", "release_id"]));
    expect(s0.parsed.steps.some((s) => s.kind === "shell")).toBe(true);
    expect(s0.parsed.steps.some((s) => s.kind === "http" || s.kind === "mixed")).toBe(true);

    // Seed 001: the startup matrix has 10 surfaces, each with a health check.
    const s1 = await currentParsed(slugs["001"]);
    expect(s1.parsed.surfaces).toHaveLength(10);
    expect(s1.parsed.surfaces.every((s) => s.healthCheck?.source.startsWith("curl"))).toBe(true);
    expect(ok(results[1]).tables).toBeGreaterThanOrEqual(1);

    // Seed 003: the index lists 19 runbooks in 6 categories, all pending; the template adds no steps.
    expect(ok(results[3])).toMatchObject({ steps: 0, links: 19, pendingLinks: 19 });
    expect(ok(results[3]).pendingCreated).toHaveLength(19);
    const catalog = await listCatalog(ctx());
    const pending = catalog.filter((e) => e.status === "pending");
    const fromIndex = pending.filter((e) => ok(results[3]).pendingCreated.includes(e.slug));
    expect(fromIndex).toHaveLength(19);
    expect(new Set(fromIndex.map((e) => e.category)).size).toBe(6);
    expect(fromIndex.find((e) => e.slug === "incident-response")).toMatchObject({ category: "Critical Incident Response", summary: "General incident response protocol (SEV1/SEV2/SEV3)" });

    // Seed 002: its three links are pending.
    expect(ok(results[2])).toMatchObject({ links: 3, pendingLinks: 3 });
    const v2 = await getRunbookView(ctx(), slugs["002"]);
    expect(v2.links.map((l) => [l.targetSlug, l.pending])).toEqual([
      ["production-operations-guide", true],
      ["runtime-schema-migrations", true],
      ["postgres-backup-restore-runbook", true],
    ]);
    expect(pending).toHaveLength(22);
  });

  it("re-importing the same files creates no revision and no audit entry", async () => {
    const [{ n: revisionsBefore }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(runbookRevisions);
    const [{ n: auditBefore }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEntries);
    const results = await importRunbooks(ctx(), [seed("000"), seed("003")]);
    expect(results.map((r) => r.status)).toEqual(["unchanged", "unchanged"]);
    expect(results.map((r) => ok(r).revision)).toEqual([1, 1]);
    const [{ n: revisionsAfter }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(runbookRevisions);
    const [{ n: auditAfter }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEntries);
    expect(revisionsAfter).toBe(revisionsBefore);
    expect(auditAfter).toBe(auditBefore);
  });

  it("an edited file creates a new revision and the diff shows the change", async () => {
    const original = fs.readFileSync(path.join(SEEDS, seed("000").name), "utf8");
    const edited = original.replace("./scripts/preview-slots-health-check.sh", "./scripts/preview-slots-health-check.sh --verbose");
    const [r] = await importRunbooks(ctx(), [{ name: seed("000").name, bytes: new TextEncoder().encode(edited) }]);
    expect(r).toMatchObject({ status: "updated", slug: slugs["000"], revision: 2 });
    const diff = await diffRevisions(ctx(), slugs["000"], 1, 2);
    expect(diff).toMatchObject({ added: 1, removed: 1 });
    expect(diff.lines.filter((l) => l.kind === "removed").map((l) => l.text)).toEqual(["./scripts/preview-slots-health-check.sh"]);
    expect(diff.lines.filter((l) => l.kind === "added").map((l) => l.text)).toEqual(["./scripts/preview-slots-health-check.sh --verbose"]);
    const removedLine = diff.lines.find((l) => l.kind === "removed")!;
    expect(removedLine.oldNumber).toBe(original.split("\n").indexOf("./scripts/preview-slots-health-check.sh") + 1);
  });

  it("reports garbage per file and imports the rest", async () => {
    const random5mb = randomBytes(5 * 1024 * 1024).toString("base64").slice(0, 5 * 1024 * 1024);
    const results = await importRunbooks(ctx(), [
      { name: "binary.md", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a, 0xff, 0xfe]) },
      { name: "empty.md", bytes: new Uint8Array() },
      { name: "blank.md", bytes: new TextEncoder().encode("  \n\n\t\n") },
      { name: "random.md", bytes: new TextEncoder().encode(random5mb) },
      { name: "latin1.md", bytes: new Uint8Array([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]) },
      { name: "unterminated.md", bytes: new TextEncoder().encode("# Half a runbook\n\n## Check\n```bash\ncurl -fsS http://127.0.0.1:8000/health\n\n## Never closed\n") },
      { name: "good.md", bytes: new TextEncoder().encode("# Good runbook\n\n## Look\n```bash\n./scripts/runtime-health-check.sh\n```\n") },
    ]);
    const byFile = Object.fromEntries(results.map((r) => [r.file, r]));
    expect(byFile["binary.md"]).toMatchObject({ status: "error", code: "binary" });
    expect(byFile["empty.md"]).toMatchObject({ status: "error", code: "empty" });
    expect(byFile["blank.md"]).toMatchObject({ status: "error", code: "empty" });
    expect(byFile["random.md"]).toMatchObject({ status: "error", code: "too-large" });
    expect(byFile["latin1.md"]).toMatchObject({ status: "error", code: "invalid-utf8" });
    for (const name of ["binary.md", "empty.md", "random.md", "latin1.md"]) {
      expect((byFile[name] as ImportFailure).error).toMatch(new RegExp(`^${name.replace(".", "\\.")}: `));
    }
    expect(byFile["unterminated.md"].status).toBe("created");
    expect(byFile["unterminated.md"].warnings.join(" ")).toMatch(/fence|unterminated|closed/i);
    expect(byFile["good.md"]).toMatchObject({ status: "created", slug: "good", steps: 1 });
  });

  it("importing or creating a runbook a link points to turns the pending entry into a draft", async () => {
    const [imported] = await importRunbooks(ctx(), [
      { name: "incident_response.md", bytes: new TextEncoder().encode("# Incident response\n\n## First steps\n1. Declare the incident.\n") },
    ]);
    expect(imported).toMatchObject({ status: "created", slug: "incident-response", revision: 1 });
    const index = await getRunbookView(ctx(), slugs["003"]);
    expect(index.links.find((l) => l.targetSlug === "incident-response")).toMatchObject({ pending: false });
    expect(index.links.filter((l) => l.pending)).toHaveLength(18);
    const entry = await getRunbookView(ctx(), "incident-response");
    expect(entry.runbook).toMatchObject({ status: "draft", category: "Critical Incident Response" });

    const created = await createRunbook(ctx(), { title: "Rollback procedure", slug: "rollback-procedure", markdown: "# Rollback procedure\n\n## Roll back\n```bash\n./scripts/rollback.sh <release_id>\n```\n" });
    expect(created).toMatchObject({ slug: "rollback-procedure", revision: 1 });
    const rollback = await getRunbookView(ctx(), "rollback-procedure");
    expect(rollback).toMatchObject({ status: "draft", runbook: { category: "Critical Incident Response" } });
    expect((await getRunbookView(ctx(), slugs["003"])).links.filter((l) => l.pending)).toHaveLength(17);

    await expect(createRunbook(ctx(), { title: "Again", slug: "rollback-procedure", markdown: "# Again\n" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("saves an edit as a new revision and refuses a stale version", async () => {
    const view = await getRunbookView(ctx(), "rollback-procedure");
    const markdown = view.current!.markdown + "\n## Verify\n- [ ] Health check passes\n";
    const saved = await saveRunbookRevision(ctx(), { slug: "rollback-procedure", markdown, changeNote: "Add verification", version: view.runbook.version });
    expect(saved).toMatchObject({ revision: 2, unchanged: false });
    await expect(saveRunbookRevision(ctx(), { slug: "rollback-procedure", markdown: markdown + "x\n", version: view.runbook.version })).rejects.toBeInstanceOf(ConflictError);
    // The refused save's revision (written in the same statement as the version check) is rolled back with it.
    const numbers = await t.db.select({ number: runbookRevisions.number }).from(runbookRevisions).where(eq(runbookRevisions.runbookId, view.runbook.id));
    expect(numbers.map((r) => r.number).sort()).toEqual([1, 2]);
    const again = await saveRunbookRevision(ctx(), { slug: "rollback-procedure", markdown, version: saved.version });
    expect(again).toMatchObject({ revision: 2, unchanged: true });
    await expect(saveRunbookRevision(ctx(), { slug: "rollback-procedure", markdown: "\u0000\u0001", version: saved.version })).rejects.toBeInstanceOf(ValidationError);
    // A browser posts the textarea with CRLF line ends; the runbook keeps its LF ends.
    const crlf = await saveRunbookRevision(ctx(), { slug: "rollback-procedure", markdown: markdown.replace(/\n/g, "\r\n"), version: saved.version });
    expect(crlf).toMatchObject({ revision: 2, unchanged: true });
  });

  it("exports the stored text with recorded Validation Log rows appended; a later edit makes it stale", async () => {
    const view = await getRunbookView(ctx(), "rollback-procedure");
    const plain = await exportRunbookMarkdown(ctx(), "rollback-procedure");
    expect(plain.markdown).toBe(view.current!.markdown);
    await t.db.transaction((tx) =>
      recordValidation(tx, commander, { runbookId: view.runbook.id, revisionId: view.current!.id, date: "2026-11-20", validator: "Casey", environment: "drill", result: "pass", notes: "all steps ran" }),
    );
    const validated = await getRunbookView(ctx(), "rollback-procedure");
    expect(validated.status).toBe("validated");
    const exported = await exportRunbookMarkdown(ctx(), "rollback-procedure");
    expect(exported.markdown.startsWith(view.current!.markdown.trimEnd())).toBe(true);
    expect(exported.markdown).toMatch(/\| 2026-11-20 \| Casey \| drill \| .*Pass.* \| all steps ran \|/);
    await saveRunbookRevision(ctx(), { slug: "rollback-procedure", markdown: view.current!.markdown + "\nOne more line.\n", version: validated.runbook.version });
    expect((await getRunbookView(ctx(), "rollback-procedure")).status).toBe("stale");
  });

  it("refuses import, edit and create to viewers and responders", async () => {
    for (const actor of [viewer, responder]) {
      await expect(importRunbooks({ actor, db: t.db }, [seed("002")])).rejects.toBeInstanceOf(ForbiddenError);
      await expect(createRunbook({ actor, db: t.db }, { title: "Nope", markdown: "# Nope\n" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(saveRunbookRevision({ actor, db: t.db }, { slug: "rollback-procedure", markdown: "# Nope\n", version: 1 })).rejects.toBeInstanceOf(ForbiddenError);
      // Reading is for everyone signed in.
      expect((await listCatalog({ actor, db: t.db })).length).toBeGreaterThan(20);
    }
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(runbooks).where(eq(runbooks.slug, "nope"));
    expect(n).toBe(0);
  });

  it("audits every change in the chain", async () => {
    const entries = await t.db.select().from(auditEntries).where(eq(auditEntries.targetType, "runbook"));
    const actions = entries.map((e) => e.action);
    expect(actions.filter((a) => a === "runbook.import")).toHaveLength(4 + 1 + 2 + 1);
    expect(actions).toContain("runbook.create");
    expect(actions.filter((a) => a === "runbook.revise")).toHaveLength(2);
    expect(actions).toContain("runbook.validation.record");
    const indexImport = entries.find((e) => e.action === "runbook.import" && (e.after as { slug: string }).slug === slugs["003"])!;
    expect(indexImport).toMatchObject({ actorRole: "commander", actorId: commander.userId });
    expect((indexImport.after as { pendingCreated: string[] }).pendingCreated).toHaveLength(19);
    const revise = entries.find((e) => e.action === "runbook.revise")!;
    expect(revise.before).toMatchObject({ version: expect.any(Number) });
    expect(revise.after).toMatchObject({ revision: 2, changeNote: "Add verification" });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
    const rows = await t.db.select().from(runbookRevisions).innerJoin(runbooks, eq(runbooks.id, runbookRevisions.runbookId)).where(and(eq(runbooks.slug, slugs["000"])));
    expect(rows).toHaveLength(2);
  });

  it("imports many files in batched transactions like one at a time: links between them resolve, a repeated name becomes the next revision, one audit entry each", async () => {
    const enc = (text: string) => new TextEncoder().encode(text);
    const [{ n: auditBefore }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEntries);
    const files = Array.from({ length: 60 }, (_, i) => ({
      name: `batch-${String(i).padStart(2, "0")}.md`,
      // Each links to the next one, written in the same import (some in the same transaction, some later).
      bytes: enc(`# Batch ${i}\n\n## Diagnosis\n\n- Check: \`kubectl -n $NAMESPACE get pods\`\n\nSee [the next one](batch-${String(i + 1).padStart(2, "0")}.md).\n`),
    }));
    files.push({ name: "other/batch-00.md", bytes: enc("# Batch 0, second text\n\n```sh\nuptime\n```\n") });
    const results = await importRunbooks(ctx(), files);
    expect(results.slice(0, 60).every((r) => r.status === "created")).toBe(true);
    expect(results[60]).toMatchObject({ status: "updated", slug: "batch-00", revision: 2, steps: 1 });
    // Afterwards only the last file's link points at a runbook that does not exist (a file reports the
    // links that were pending when it was written: a link to a file of a later transaction was).
    expect(ok(results[59])).toMatchObject({ pendingLinks: 1, pendingCreated: ["batch-60"] });
    const { runbookLinks } = await import("@/db/schema");
    const links = await t.db.select({ target: runbookLinks.targetSlug, pending: runbookLinks.pending }).from(runbookLinks).where(sql`${runbookLinks.targetSlug} like 'batch-%'`);
    // batch-00's second text has no link: its first revision's link went with it.
    expect(links.map((l) => l.target).sort()).toEqual(Array.from({ length: 59 }, (_, i) => `batch-${String(i + 2).padStart(2, "0")}`));
    expect(links.filter((l) => l.pending).map((l) => l.target)).toEqual(["batch-60"]);
    expect((await listCatalog(ctx())).find((e) => e.slug === "batch-60")).toMatchObject({ status: "pending" });
    const [{ n: auditAfter }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEntries);
    expect(auditAfter - auditBefore).toBe(61);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
    const view = await getRunbookView(ctx(), "batch-30");
    expect(view.links.map((l) => [l.targetSlug, l.pending])).toEqual([["batch-31", false]]);
  });
  it("a runbook imported again beside the target of its pending link: the link is replaced and resolves, once", async () => {
    const enc = (text: string) => new TextEncoder().encode(text);
    const linking = (n: number) => enc(`# Linking ${n}\n\nSee [the target](resolve-target.md) and [a missing one](resolve-missing.md).\n`);
    const [first] = await importRunbooks(ctx(), [{ name: "resolve-linking.md", bytes: linking(1) }]);
    expect(ok(first)).toMatchObject({ pendingLinks: 2, pendingCreated: ["resolve-target", "resolve-missing"] });
    const [again, target] = await importRunbooks(ctx(), [
      { name: "resolve-linking.md", bytes: linking(2) },
      { name: "resolve-target.md", bytes: enc("# Resolve target\n\n```sh\nuptime\n```\n") },
    ]);
    expect(again).toMatchObject({ status: "updated", revision: 2, pendingLinks: 1, pendingCreated: [] });
    expect(target).toMatchObject({ status: "created", slug: "resolve-target" });
    const view = await getRunbookView(ctx(), "resolve-linking");
    expect(view.links.map((l) => [l.targetSlug, l.pending]).sort()).toEqual([
      ["resolve-missing", true],
      ["resolve-target", false],
    ]);
  });
  it("two files of one small import aiming at the same runbook: the second becomes its next revision", async () => {
    const enc = (text: string) => new TextEncoder().encode(text);
    const results = await importRunbooks(ctx(), [
      { name: "one/twice.md", bytes: enc("# Twice\n\n```sh\nuptime\n```\n") },
      { name: "two/twice.md", bytes: enc("# Twice\n\n```sh\nuptime -p\n```\n") },
    ]);
    expect(results).toMatchObject([
      { status: "created", slug: "twice", revision: 1 },
      { status: "updated", slug: "twice", revision: 2 },
    ]);
  });
  it("a small import whose runbook appears while it parses (another import's pending entry) still writes to it", async () => {
    const { runbookOfSize } = await import("@/bench/corpus/generate");
    // Large enough that the rows read before the transaction are old by the time it starts.
    const importing = importRunbooks(ctx(), [{ name: "appears-meanwhile.md", bytes: new TextEncoder().encode(runbookOfSize(600 * 1024, 5)) }]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await t.db.insert(runbooks).values({ slug: "appears-meanwhile", title: "appears-meanwhile", status: "pending" });
    const [result] = await importing;
    expect(result).toMatchObject({ status: "created", slug: "appears-meanwhile", revision: 1 });
  });
});
