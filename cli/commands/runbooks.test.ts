import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

// Runs the real CLI (bin/sitrep.mjs → tsx) against a fresh PGlite data folder.
const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-runbooks-"));
const env = { ...process.env, SITREP_DATA_DIR: dataDir, DATABASE_URL: "", SITREP_LOG_LEVEL: "warn" as const };
const seeds = path.resolve(process.cwd(), "../shared/seeds");

async function sitrep(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["bin/sitrep.mjs", ...args], { env, cwd: process.cwd(), maxBuffer: 20 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("sitrep runbooks (CLI)", () => {
  let slugs: string[] = [];

  it("imports the seeds folder with per-file JSON, then finds nothing new the second time", async () => {
    const first = await sitrep("runbooks", "import", "../shared/seeds", "--json");
    expect(first.code, first.stderr).toBe(0);
    const results = JSON.parse(first.stdout) as Array<Record<string, unknown>>;
    expect(results).toHaveLength(4);
    for (const r of results) {
      expect(r).toMatchObject({ status: "created", revision: 1 });
      for (const key of ["slug", "title", "steps", "placeholders", "checklists", "tables", "links", "warnings"]) expect(r).toHaveProperty(key);
    }
    expect(results.find((r) => String(r.file).startsWith("003"))).toMatchObject({ links: 19, pendingLinks: 19, steps: 0 });
    slugs = results.map((r) => String(r.slug));

    const second = await sitrep("runbooks", "import", path.join(seeds, fs.readdirSync(seeds)[0]), "--json");
    expect(JSON.parse(second.stdout)).toEqual([expect.objectContaining({ status: "unchanged", revision: 1 })]);
  }, 120_000);

  it("lists the library and exports a runbook byte for byte", async () => {
    const list = await sitrep("runbooks", "list", "--json");
    const rows = JSON.parse(list.stdout) as Array<{ slug: string; status: string }>;
    expect(rows.filter((r) => r.status === "pending")).toHaveLength(22);
    expect(rows.filter((r) => r.status === "draft").map((r) => r.slug).sort()).toEqual([...slugs].sort());

    const first = fs.readdirSync(seeds).sort()[0];
    const exported = await sitrep("runbooks", "export", slugs[0]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(fs.readFileSync(path.join(seeds, first), "utf8"));
  }, 120_000);

  it("reports a bad file with its reason and a non-zero exit, importing the rest", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-garbage-"));
    fs.writeFileSync(path.join(dir, "empty.md"), "");
    fs.writeFileSync(path.join(dir, "ok.md"), "# Fine\n\n```bash\n./scripts/runtime-health-check.sh\n```\n");
    const result = await sitrep("runbooks", "import", dir);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ empty\.md: (the )?file is empty/);
    expect(result.stdout).toMatch(/✓ ok\.md → ok rev 1 \(created\)/);
  }, 120_000);
});

describe("sitrep runbooks sync (CLI)", () => {
  it("syncs a git checkout, then takes only the new commit, printing the commit range", async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-sync-"));
    const git = (...args: string[]) => run("git", ["-C", repo, "-c", "user.name=Cli Tester", "-c", "user.email=cli@example.org", ...args]);
    try {
      await git("init", "-q", "-b", "main");
      fs.writeFileSync(path.join(repo, "HostDiskFull.md"), "# HostDiskFull\n\n## Mitigation\n\n- Free space with `journalctl --vacuum-size=500M`.\n");
      await git("add", ".");
      await git("commit", "-q", "-m", "first");
      const first = await sitrep("runbooks", "sync", repo, "--branch", "main", "--json");
      expect(first.code, first.stderr).toBe(0);
      const one = JSON.parse(first.stdout);
      expect(one).toMatchObject({ full: true, created: 1, failed: [] });
      expect(one.files[0]).toMatchObject({ status: "created", slug: "hostdiskfull", steps: 1 });
      fs.writeFileSync(path.join(repo, "HostDiskFull.md"), "# HostDiskFull\n\n## Mitigation\n\n- Free space with `journalctl --vacuum-size=200M`.\n");
      await git("commit", "-q", "-am", "smaller journal");
      const second = await sitrep("runbooks", "sync", repo, "--branch", "main");
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/^\S+ [0-9a-f]{12}\.\.[0-9a-f]{12}\n0 created, 1 updated, 0 unchanged, 0 renamed, 0 archived, 0 failed/);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
    // Two CLI processes, each opening the embedded database: 24 s on a busy 2-core machine.
  }, 120_000);
});
