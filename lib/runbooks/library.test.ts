import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEntries, runbooks } from "@/db/schema";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import type { Actor } from "@/lib/actor";
import { ForbiddenError } from "@/lib/errors";
import { archiveRunbook, findRunbooksForAlert, getCatalog, getRunbookSections, getRunbookView, importRunbooks, restoreRunbook, type ImportSummary } from "@/lib/runbooks";
import type { DocNode } from "@/lib/runbooks/parse";

// The library over the test corpus (lib/runbooks/parse/corpus): import with warnings, the catalog
// a team lives in, archive and restore, and what the alerts side looks runbooks up by.

let t: TestDatabase;
let commander: Actor;
let responder: Actor;
const corpus = path.join(import.meta.dirname, "parse", "corpus");
const ctx = () => ({ actor: commander, db: t.db });

beforeAll(async () => {
  t = await createTestDb();
  commander = (await makeUser(t.db, { role: "commander" })).actor;
  responder = (await makeUser(t.db, { role: "responder" })).actor;
});
afterAll(() => t.cleanup());

function stepIds(nodes: DocNode[]): string[] {
  return nodes.flatMap((n) => (typeof n === "string" ? [] : "step" in n ? [n.step] : "children" in n ? stepIds(n.children) : []));
}

describe("runbook library over the test corpus", () => {
  it("imports every file; the one with an unreadable shell line imports with its warning", async () => {
    const files = fs.readdirSync(corpus).sort().map((name) => ({ name, bytes: new Uint8Array(fs.readFileSync(path.join(corpus, name))) }));
    const results = await importRunbooks(ctx(), files);
    expect(results.map((r) => r.status)).toEqual(["created", "created", "created", "created", "created", "created", "created"]);
    const etcd = results.find((r) => r.file === "etcd-backup.md") as ImportSummary;
    expect(etcd).toMatchObject({ steps: 2 });
    expect(etcd.warnings).toEqual([expect.stringContaining("Line 10:")]);
  });

  it("stores the document once, with every step in its place", async () => {
    const view = await getRunbookView(ctx(), "kubepodcrashlooping");
    const nodes = view.current!.document!.nodes;
    expect(stepIds(nodes)).toEqual(view.current!.parsed.steps.map((s) => s.id));
    const html = JSON.stringify(nodes);
    expect(html).toContain('id=\\"doc-diagnosis\\"');
    // The title is the page's heading, not repeated in the document; <details> is shown open, its
    // summary in bold (lib/markdown/html-tags.ts).
    expect(html).not.toContain("<h2>Pod is crash looping");
    expect(html).toContain("<p><strong>Rule</strong></p>");
    expect(html).not.toContain("details");
    expect(view.runbook).toMatchObject({ alertNames: ["KubePodCrashLooping"], tags: ["kubernetes", "workloads"], weight: 20 });
  });

  it("lists written runbooks first and pending ones apart, titled as linked; filters by alert, tag, status and text", async () => {
    const catalog = await getCatalog(ctx());
    // A front matter weight comes first within its category, then titles.
    expect(catalog.entries.map((e) => e.slug)).toEqual(["kubepodcrashlooping", "kubeletdown", "etcd-backup", "etcdmembersdown", "nodefilesystemalmostfull", "postgres-failover", "quick-notes"]);
    expect(catalog.pending.map((e) => [e.slug, e.title])).toEqual([
      ["oauth-outage", "the OAuth outage runbook"],
      ["token-rotation", "token rotation"],
    ]);
    expect((await getCatalog(ctx(), { alert: "kubepodcrashlooping" })).entries.map((e) => e.slug)).toEqual(["kubepodcrashlooping"]);
    expect((await getCatalog(ctx(), { tag: "workloads" })).entries.map((e) => e.slug)).toEqual(["kubepodcrashlooping"]);
    expect((await getCatalog(ctx(), { q: "NodeFilesystem" })).entries.map((e) => e.slug)).toEqual(["nodefilesystemalmostfull"]);
    expect((await getCatalog(ctx(), { q: "pg_stat_replication" })).entries.map((e) => e.slug)).toEqual(["postgres-failover"]);
    const never = await getCatalog(ctx(), { status: "never" });
    expect(never.entries).toHaveLength(7);
    expect(never.pending).toEqual([]);
    expect((await getCatalog(ctx(), { status: "pending" })).entries).toEqual([]);
  });

  it("archives and restores (commanders and admins), audited; archived runbooks leave the catalog", async () => {
    const [row] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "quick-notes"));
    await expect(archiveRunbook({ actor: responder, db: t.db }, { slug: "quick-notes", version: row.version })).rejects.toBeInstanceOf(ForbiddenError);
    const archived = await archiveRunbook(ctx(), { slug: "quick-notes", reason: "uploaded by mistake", version: row.version });
    expect(archived.archivedReason).toBe("uploaded by mistake");
    expect((await getCatalog(ctx())).entries.map((e) => e.slug)).not.toContain("quick-notes");
    expect((await getCatalog(ctx(), { archived: true })).entries.map((e) => e.slug)).toEqual(["quick-notes"]);
    await expect(archiveRunbook(ctx(), { slug: "quick-notes", version: archived.version })).rejects.toThrow(/already archived/);
    const restored = await restoreRunbook(ctx(), { slug: "quick-notes", version: archived.version });
    expect(restored.archivedAt).toBeNull();
    const audit = await t.db.select({ action: auditEntries.action, actorId: auditEntries.actorId }).from(auditEntries).where(and(eq(auditEntries.targetType, "runbook"), eq(auditEntries.targetId, row.id)));
    expect(audit.map((a) => a.action)).toEqual(["runbook.import", "runbook.archive", "runbook.restore"]);
    expect(audit[1].actorId).toBe(commander.userId);
  });

  it("finds runbooks for an alert by name, by runbook_url (with its section) and by file name; lists well-known sections", async () => {
    expect(await findRunbooksForAlert(t.db, { alertName: "KubePodCrashLooping" })).toEqual([
      expect.objectContaining({ slug: "kubepodcrashlooping", matchedBy: "alert-name", href: "/runbooks/kubepodcrashlooping" }),
    ]);
    expect(await findRunbooksForAlert(t.db, { runbookUrl: "https://git.example.org/ops/runbooks/blob/main/node/NodeFilesystemAlmostFull.md#diagnosis" })).toEqual([
      expect.objectContaining({ slug: "nodefilesystemalmostfull", matchedBy: "runbook-url", sectionId: "diagnosis", href: "/runbooks/nodefilesystemalmostfull#doc-diagnosis" }),
    ]);
    expect((await findRunbooksForAlert(t.db, { fileName: "postgres-failover.md" })).map((r) => r.slug)).toEqual(["postgres-failover"]);
    expect(await findRunbooksForAlert(t.db, { alertName: "NoSuchAlert" })).toEqual([]);
    expect(await getRunbookSections(t.db, "kubepodcrashlooping", ["diagnosis", "mitigation"])).toEqual([
      { id: "diagnosis", title: "Diagnosis", kind: "diagnosis", href: "/runbooks/kubepodcrashlooping#doc-diagnosis" },
      { id: "mitigation", title: "Mitigation", kind: "mitigation", href: "/runbooks/kubepodcrashlooping#doc-mitigation" },
    ]);
    expect(await getRunbookSections(t.db, "no-such-runbook")).toBeNull();
  });
});

describe("revisions stored by an earlier parser", () => {
  it("are read again at start: document and structure rebuilt from the same text, audited", async () => {
    const { reparseOutdatedRevisions } = await import("./reparse");
    const [row] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "etcd-backup"));
    const { runbookRevisions } = await import("@/db/schema");
    await t.db.update(runbookRevisions).set({ document: null, parserVersion: 1 }).where(eq(runbookRevisions.id, row.currentRevisionId!));
    expect((await getRunbookView(ctx(), "etcd-backup")).current?.document).toBeNull();
    expect(await reparseOutdatedRevisions(t.db)).toBe(1);
    expect(await reparseOutdatedRevisions(t.db)).toBe(0);
    const view = await getRunbookView(ctx(), "etcd-backup");
    expect(stepIds(view.current!.document!.nodes)).toEqual(view.current!.parsed.steps.map((s) => s.id));
    const audit = await t.db.select({ action: auditEntries.action }).from(auditEntries).where(and(eq(auditEntries.action, "runbook.reparse"), eq(auditEntries.targetId, row.id)));
    expect(audit).toHaveLength(1);
  });

  it("keep the stored steps and document when a new parse would number the steps differently (runs and drills point at step ids)", async () => {
    const { reparseOutdatedRevisions } = await import("./reparse");
    const { runbookRevisions } = await import("@/db/schema");
    const { log } = await import("@/lib/log");
    const [row] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "kubepodcrashlooping"));
    const [before] = await t.db.select().from(runbookRevisions).where(eq(runbookRevisions.id, row.currentRevisionId!));
    const parsed = before.parsed as { steps: Array<{ id: string }> };
    expect(parsed.steps.length).toBeGreaterThan(1);
    // As an earlier parser stored them: the same steps under other ids, which executions and drills name.
    const renumbered = { ...parsed, steps: parsed.steps.map((s, i) => ({ ...s, id: `legacy-${i + 1}` })) };
    await t.db.update(runbookRevisions).set({ parsed: renumbered, parserVersion: 1 }).where(eq(runbookRevisions.id, before.id));
    const warn = vi.spyOn(log, "warn");
    try {
      expect(await reparseOutdatedRevisions(t.db)).toBe(0);
      expect(warn).toHaveBeenCalledWith(
        "runbook_reparse_kept",
        expect.objectContaining({ revision: before.id, storedSteps: parsed.steps.length, parsedSteps: parsed.steps.length, firstDifference: { index: 0, stored: "legacy-1", parsed: parsed.steps[0].id } }),
      );
    } finally {
      warn.mockRestore();
    }
    const [after] = await t.db.select().from(runbookRevisions).where(eq(runbookRevisions.id, before.id));
    expect(after.parsed).toEqual(renumbered);
    expect(after.document).toEqual(before.document);
    expect(after.parserVersion).toBe(1);
    const view = await getRunbookView(ctx(), "kubepodcrashlooping");
    expect(view.current!.parsed.steps.map((s) => s.id)).toEqual(renumbered.steps.map((s) => s.id));
    const audit = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, "runbook.reparse"), eq(auditEntries.targetId, row.id)));
    expect(audit).toHaveLength(0);

    // A stored structure with a step fewer is kept too; once the stored steps match, the re-parse replaces it.
    await t.db.update(runbookRevisions).set({ parsed: { ...parsed, steps: parsed.steps.slice(1) }, parserVersion: 1 }).where(eq(runbookRevisions.id, before.id));
    expect(await reparseOutdatedRevisions(t.db)).toBe(0);
    await t.db.update(runbookRevisions).set({ parsed, parserVersion: 1 }).where(eq(runbookRevisions.id, before.id));
    expect(await reparseOutdatedRevisions(t.db)).toBe(1);
    const [replaced] = await t.db.select().from(runbookRevisions).where(eq(runbookRevisions.id, before.id));
    expect((replaced.parsed as { steps: Array<{ id: string }> }).steps.map((s) => s.id)).toEqual(parsed.steps.map((s) => s.id));
    expect(replaced.parserVersion).toBeGreaterThan(1);
  });
});
