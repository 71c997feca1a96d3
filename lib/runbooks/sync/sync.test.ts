import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { auditEntries, runbookRepositories, runbookRevisions, runbooks } from "@/db/schema";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import type { Actor } from "@/lib/actor";
import { ForbiddenError } from "@/lib/errors";
import { getCatalog, getRunbookView } from "@/lib/runbooks";
import { listRepositories, runDueSyncs, saveRepository } from "./repositories";
import { syncRepository } from "./sync";

// Real git repositories made here: commits, a rename, a delete, a file that is not UTF-8, a
// symbolic link and a submodule, synced twice; each revision names the commit that last changed its file.

let t: TestDatabase;
let admin: Actor;
let commander: Actor;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-sync-"));
const repo = path.join(root, "runbooks");
const other = path.join(root, "other");

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, "-c", "user.name=Rita Runbook", "-c", "user.email=rita@example.org", "-c", "protocol.file.allow=always", ...args], { encoding: "utf8" }).trim();
}

function write(file: string, text: string | Buffer) {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), text);
}

const crashLooping = `---
title: Pod crash looping
alerts: [KubePodCrashLooping]
severity: warning
tags: [kubernetes]
---

# KubePodCrashLooping

## Meaning

A pod keeps restarting.

## Diagnosis

- Check pod events via \`kubectl -n $NAMESPACE describe pod $POD\`.
- Read the previous logs: \`kubectl -n $NAMESPACE logs $POD --previous\`.
`;

beforeAll(async () => {
  t = await createTestDb();
  admin = (await makeUser(t.db, { role: "admin" })).actor;
  commander = (await makeUser(t.db, { role: "commander" })).actor;
  fs.mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  write("alerts/KubePodCrashLooping.md", crashLooping);
  write("db/backup-restore.md", "# Backup and restore\n\n## Restore\n\n```bash\npg_restore -d app /backups/latest.dump\n```\n");
  write("stale/old-procedure.md", "# Old procedure\n\nNothing to run.\n");
  write("README.txt", "not a runbook");
  // A symbolic link to a runbook: its blob is the target's path, not markdown.
  fs.symlinkSync("alerts/KubePodCrashLooping.md", path.join(repo, "README.md"));
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "first runbooks");
  // A submodule: another repository inside this one; listed, never followed.
  fs.mkdirSync(other);
  git(other, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(other, "inner.md"), "# Inner\n");
  git(other, "add", ".");
  git(other, "commit", "-q", "-m", "inner");
  git(repo, "submodule", "add", "-q", other, "vendor/other");
  git(repo, "commit", "-q", "-m", "vendor a submodule");
});

afterAll(async () => {
  await t.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

const ctx = () => ({ actor: admin, db: t.db });

describe("sitrep runbooks sync (lib)", () => {
  it("first sync imports every markdown file with its commit; the submodule and the symbolic link are listed, not followed", async () => {
    const head = git(repo, "rev-parse", "HEAD");
    const firstCommit = git(repo, "rev-list", "--max-parents=0", "HEAD");
    const result = await syncRepository(ctx(), { path: repo, branch: "main", name: "ops-runbooks" });
    expect(result).toMatchObject({ repository: "ops-runbooks", toCommit: head, full: true, created: 3, updated: 0, failed: [], skippedSubmodules: ["vendor/other"], skippedSymlinks: ["README.md"] });
    const rows = await t.db.select().from(runbooks).where(eq(runbooks.sourcePath, "alerts/KubePodCrashLooping.md"));
    expect(rows[0]).toMatchObject({ slug: "kubepodcrashlooping", title: "Pod crash looping", alertNames: ["KubePodCrashLooping"], tags: ["kubernetes"] });
    const [rev] = await t.db.select().from(runbookRevisions).where(eq(runbookRevisions.runbookId, rows[0].id));
    // The file's last change was the first commit, not the submodule commit at HEAD.
    expect(rev).toMatchObject({ number: 1, source: "sync", commitId: firstCommit, commitAuthor: "Rita Runbook", sourcePath: "alerts/KubePodCrashLooping.md" });
    const view = await getRunbookView(ctx(), "kubepodcrashlooping");
    expect(view.current?.commitId).toBe(firstCommit);
    expect(view.repository?.name).toBe("ops-runbooks");
    expect(view.current?.parsed.steps.map((s) => [s.foundBy, s.source])).toEqual([
      ["prose", "kubectl -n $NAMESPACE describe pod $POD"],
      ["prose", "kubectl -n $NAMESPACE logs $POD --previous"],
    ]);
  });

  it("a sync with no new commits changes nothing", async () => {
    const result = await syncRepository(ctx(), { path: repo, branch: "main" });
    expect(result).toMatchObject({ created: 0, updated: 0, full: false, renamed: [], archived: [] });
    expect(result.fromCommit).toBe(result.toCommit);
  });

  it("edit + rename + delete + a non-UTF-8 file: only what changed, the renamed file keeps its runbook, the deleted one is archived", async () => {
    const before = await t.db.select().from(runbooks).where(eq(runbooks.slug, "backup-restore"));
    write("db/backup-restore.md", "# Backup and restore\n\n## Restore\n\n```bash\npg_restore -d app /backups/latest.dump\npsql -c 'select 1'\n```\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "restore: check the database answers");
    const editCommit = git(repo, "rev-parse", "HEAD");
    fs.mkdirSync(path.join(repo, "kubernetes"));
  git(repo, "mv", "alerts/KubePodCrashLooping.md", "kubernetes/KubePodCrashLooping.md");
    git(repo, "rm", "-q", "stale/old-procedure.md");
    write("legacy/latin1.md", Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]));
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "move, delete, add a latin-1 file");
    const head = git(repo, "rev-parse", "HEAD");

    const result = await syncRepository(ctx(), { path: repo, branch: "main" });
    expect(result).toMatchObject({ full: false, toCommit: head, created: 0, updated: 1 });
    expect(result.renamed).toEqual([{ from: "alerts/KubePodCrashLooping.md", to: "kubernetes/KubePodCrashLooping.md", slug: "kubepodcrashlooping" }]);
    expect(result.archived).toEqual([{ path: "stale/old-procedure.md", slug: "old-procedure" }]);
    expect(result.failed).toEqual([{ file: "legacy/latin1.md", error: expect.stringContaining("not valid UTF-8") }]);
    // A rename without changes is no new revision: the runbook and its history stay, under the new path.
    const [moved] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "kubepodcrashlooping"));
    expect(moved.sourcePath).toBe("kubernetes/KubePodCrashLooping.md");
    const revs = await t.db.select().from(runbookRevisions).where(eq(runbookRevisions.runbookId, before[0].id)).orderBy(asc(runbookRevisions.number));
    expect(revs.map((r) => [r.number, r.commitId])).toEqual([
      [1, expect.any(String)],
      [2, editCommit],
    ]);
    const [archived] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "old-procedure"));
    expect(archived.archivedReason).toContain("stale/old-procedure.md was deleted");
    const catalog = await getCatalog(ctx());
    expect(catalog.entries.map((e) => e.slug).sort()).toEqual(["backup-restore", "kubepodcrashlooping"]);
    expect((await getCatalog(ctx(), { archived: true })).entries.map((e) => e.slug)).toEqual(["old-procedure"]);
    const [repoRow] = await t.db.select().from(runbookRepositories);
    expect(repoRow).toMatchObject({ lastCommit: head, lastError: null });
    expect(repoRow.lastResult).toMatchObject({ updated: 1, archived: [{ slug: "old-procedure" }] });
    const audit = await t.db.select({ action: auditEntries.action }).from(auditEntries).where(and(eq(auditEntries.targetType, "runbook"), eq(auditEntries.targetId, archived.id)));
    expect(audit.map((a) => a.action)).toEqual(["runbook.sync", "runbook.archive"]);
  });

  it("a file that comes back restores its archived runbook, history kept", async () => {
    write("stale/old-procedure.md", "# Old procedure\n\nBack again.\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "bring it back");
    const result = await syncRepository(ctx(), { path: repo, branch: "main" });
    expect(result.updated).toBe(1);
    const [row] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "old-procedure"));
    expect(row.archivedAt).toBeNull();
    const view = await getRunbookView(ctx(), "old-procedure");
    expect(view.revisions.map((r) => r.number)).toEqual([2, 1]);
  });

  it("only admins sync, and a folder that is no checkout is refused clearly", async () => {
    await expect(syncRepository({ actor: commander, db: t.db }, { path: repo })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(syncRepository(ctx(), { path: root })).rejects.toThrow(/not a git checkout/);
  });
});

describe("scheduled repository syncs", () => {
  it("an admin sets a schedule; a due sync runs once, records its result and moves the next time on; audited", async () => {
    const [existing] = await listRepositories(ctx());
    await expect(saveRepository({ actor: commander, db: t.db }, { ...existing, scheduleMinutes: 15 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(saveRepository(ctx(), { id: existing.id, name: existing.name, path: root, scheduleMinutes: 15 })).rejects.toThrow(/need attention/);
    const saved = await saveRepository(ctx(), { id: existing.id, name: existing.name, path: repo, branch: "main", scheduleMinutes: "15", commitUrlTemplate: "https://git.example.org/ops/runbooks/commit/{commit}", version: existing.version });
    expect(saved).toMatchObject({ scheduleMinutes: 15, commitUrlTemplate: "https://git.example.org/ops/runbooks/commit/{commit}" });
    write("db/backup-restore.md", "# Backup and restore\n\nScheduled edit.\n");
    git(repo, "commit", "-q", "-am", "scheduled edit");
    const head = git(repo, "rev-parse", "HEAD");
    const now = new Date(Date.now() + 1000);
    expect(await runDueSyncs(t.db, now)).toBe(1);
    expect(await runDueSyncs(t.db, now)).toBe(0);
    const [after] = await listRepositories(ctx());
    expect(after).toMatchObject({ lastCommit: head, lastError: null, lastResult: expect.objectContaining({ updated: 1 }) });
    expect(after.nextSyncAt!.getTime()).toBeGreaterThan(now.getTime() + 14 * 60_000);
    const actions = await t.db.select({ action: auditEntries.action }).from(auditEntries).where(eq(auditEntries.targetId, existing.id));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["runbook.repository.create", "runbook.repository.update", "runbook.repository.sync"]));
  });
});
