import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures/accounts";
import { callAction } from "./fixtures/server-action";
import { MACHINE_STALL_MS, pollHealth } from "../bench/lib/poll-health";

// Issues 4, 13 and 14: a commander uploads the four seeds through the UI; the catalog lists real
// runbooks before pending ones; a runbook page shows the document once with each step inline and
// the reference environment's addresses; edits, archive and restore; markdown built to stall a
// parser does not; an admin syncs a git repository and the page links the commit. A viewer reads
// but cannot edit, neither in the UI nor by calling the actions directly.
// The seeds, under .md names and with a closing comment of this spec's own: other specs on the same
// server import seed 000 under its title's slug, and this spec needs a runbook whose history starts here.
const seeds = path.resolve(process.cwd(), "../shared/seeds");
const copies = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-e2e-seeds-"));
const seedPaths = fs
  .readdirSync(seeds)
  .sort()
  .map((f) => {
    const copy = path.join(copies, `library-e2e-${f.slice(0, 3)}.md`);
    // A trailing comment makes the content this spec's own too: identical content imports as
    // "unchanged" into whichever runbook already holds it.
    fs.writeFileSync(copy, fs.readFileSync(path.join(seeds, f), "utf8") + `\n<!-- ${path.basename(copy)} -->\n`);
    return copy;
  });
const SLUG = "library-e2e-000";
const TITLE = "Operator Incident and Rollback Runbook (Host-Only)";

test.describe.configure({ mode: "serial" });

test.describe("commander", () => {
  test.use({ storageState: storageState("commander") });

  test("uploads the seeds; the catalog lists real runbooks before pending ones; a runbook page shows each step once, inline, with the reference environment's address; edits make revision 2", async ({ page }) => {
    await page.goto("/runbooks");
    // An empty file among the seeds is refused on its own; the seeds import.
    const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-e2e-runbooks-")), "empty.md");
    fs.writeFileSync(empty, "");
    await page.getByLabel("Markdown files").setInputFiles([...seedPaths, empty]);
    await page.getByRole("button", { name: "Import" }).click();
    const results = page.getByRole("list", { name: "Import results" });
    await expect(results.getByText(/revision 1 \(created\)/)).toHaveCount(4);
    await expect(results.getByText(/✗ empty\.md: .*empty/)).toBeVisible();

    // Written runbooks first; the index's pending entries after them, titled as the index wrote them.
    await page.goto("/runbooks");
    const written = page.getByTestId("catalog-written").first();
    const pending = page.getByTestId("catalog-pending");
    await expect(pending.getByRole("link", { name: "incident_response", exact: true })).toBeVisible();
    const writtenBox = await written.boundingBox();
    const pendingBox = await pending.boundingBox();
    expect(writtenBox!.y).toBeLessThan(pendingBox!.y);
    await expect(written.getByRole("link").first()).toBeVisible();
    const exported = await page.request.get(`/runbooks/${SLUG}/export`);
    expect(await exported.text()).toBe(fs.readFileSync(seedPaths[0], "utf8"));

    await page.goto(`/runbooks/${SLUG}`);
    await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
    // Each step once, inside the document, in order; the outline at the side lists the same steps.
    const doc = page.getByTestId("runbook-document");
    const cards = page.getByTestId("step-card");
    await expect(cards).toHaveCount(8);
    await expect(doc.getByTestId("step-card")).toHaveCount(8);
    await expect(page.getByTestId("step-outline").getByRole("listitem")).toHaveCount(8);
    await expect(doc.getByRole("heading", { name: "5) Rollback Command Validation", exact: true })).toBeVisible();
    await expect(cards.filter({ hasText: "missing-release-id" }).getByText("Expected failure: a non-zero exit is the pass").first()).toBeVisible();
    await expect(cards.first().getByRole("button", { name: "Copy step 1" })).toBeVisible();
    // Addresses are the reference environment's, not the seed's 127.0.0.1:8000.
    await expect(page.getByLabel("Environment").first()).toHaveValue("reference");
    const note = await page.getByText(/Addresses are shown as in reference: control API (\S+),/).textContent();
    const control = /control API (\S+),/.exec(note ?? "")![1];
    expect(control).not.toBe("http://127.0.0.1:8000");
    const worker = cards.filter({ has: page.getByRole("heading", { name: /^Step 2:/ }) });
    await expect(worker.getByTestId("step-command").first()).toContainText(`${control}/api/runs`);
    await expect(worker.getByTestId("step-command").first()).not.toContainText("127.0.0.1:8000");
    await page.getByRole("link", { name: "Show source" }).click();
    await expect(page.getByTestId("runbook-source")).toContainText("http://127.0.0.1:8000/api/runs");

    await page.goto(`/runbooks/${SLUG}/edit`);
    const editor = page.getByLabel("Markdown");
    const text = await editor.inputValue();
    await editor.fill(text.replace("./scripts/preview-slots-health-check.sh", "./scripts/preview-slots-health-check.sh --verbose"));
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("region", { name: "Preview" }).getByText("--verbose")).toBeVisible();
    await page.getByLabel("Change note (optional)").fill("Verbose slot check");
    await page.getByRole("button", { name: "Save revision" }).click();

    await expect(page).toHaveURL(/\/revisions\?from=1&to=2/);
    await expect(page.getByRole("cell", { name: "2 (current)" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "Verbose slot check" })).toBeVisible();
    const diff = page.getByRole("table", { name: "Changes from revision 1 to revision 2" });
    await expect(diff.getByTestId("diff-added")).toHaveCount(1);
    await expect(diff.getByTestId("diff-added")).toContainText("./scripts/preview-slots-health-check.sh --verbose");
    await expect(diff.getByTestId("diff-removed")).toHaveCount(1);
    await expect(diff.getByTestId("diff-removed")).toContainText("./scripts/preview-slots-health-check.sh");
  });

  test("archives a runbook (it leaves the catalog, kept under Archived) and restores it", async ({ page }) => {
    const slug = "library-e2e-002";
    await page.goto(`/runbooks/${slug}`);
    await page.getByLabel("Reason for archiving").fill("superseded by the new handbook");
    await page.getByRole("button", { name: "Archive" }).click();
    await expect(page.getByTestId("archived-note")).toContainText("superseded by the new handbook");
    await page.goto("/runbooks");
    await expect(page.locator(`a[href="/runbooks/${slug}"]`)).toHaveCount(0);
    await page.getByRole("checkbox", { name: "Archived" }).check();
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator(`a[href="/runbooks/${slug}"]`).click();
    await page.getByRole("button", { name: "Restore" }).click();
    await expect(page.getByTestId("archived-note")).toHaveCount(0);
    await page.goto("/runbooks");
    await expect(page.locator(`a[href="/runbooks/${slug}"]`)).toHaveCount(1);
  });

  test("markdown built to stall a parser is refused or imported in under a second while /api/health keeps answering under 100 ms", async ({ page, baseURL }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-e2e-stall-"));
    const files = {
      brackets: path.join(dir, "brackets.md"),
      paragraph: path.join(dir, "paragraph.md"),
    };
    fs.writeFileSync(files.brackets, `${"[".repeat(100_000)}x${"]".repeat(100_000)}`);
    fs.writeFileSync(files.paragraph, `# One long paragraph\n\n${"word ".repeat(Math.floor((1.9 * 1024 * 1024) / 5))}\n`);
    await page.goto("/runbooks");
    for (const [name, file] of Object.entries(files)) {
      // What is measured is the import: the page (and the last import's re-render) is done first.
      await page.waitForLoadState("networkidle");
      // Polled from a separate process: this runner's own event loop is busy sending the file.
      const poll = await pollHealth(`${baseURL}/api/health`, { intervalMs: 10 });
      await page.getByLabel("Markdown files").setInputFiles(file);
      await page.evaluate(() => performance.clearResourceTimings());
      await page.getByRole("button", { name: "Import" }).click();
      await expect(page.getByRole("list", { name: "Import results" }).getByText(`${name}.md`)).toBeVisible();
      // The import is the server action's round trip (upload, parse in the worker, store), not the page's re-render.
      // The action's stream ends after its result shows (the page's re-render follows it): wait for its entry.
      // It posts to the page's own address; the router's other fetches carry an _rsc query.
      const handle = await page.waitForFunction(() => {
        const action = performance.getEntriesByType("resource").filter((e) => (e as PerformanceResourceTiming).initiatorType === "fetch" && e.name === location.href);
        return action.length ? Math.max(...action.map((e) => e.duration)) : null;
      });
      const elapsed = (await handle.jsonValue()) as number;
      const samples = await poll.stopWithSamples();
      // An answer during which the poller itself was stalled measures the machine, not the console
      // (see MACHINE_STALL_MS): it is reported, not judged.
      const judged = samples.filter((s) => s.pollerLateMs < MACHINE_STALL_MS).map((s) => s.ms);
      const stalled = samples.filter((s) => s.pollerLateMs >= MACHINE_STALL_MS);
      const report = `${name}.md: import ${elapsed.toFixed(0)} ms; /api/health meanwhile ${judged.map((l) => l.toFixed(0)).join(", ")} ms${stalled.length ? `; during machine stalls (poller late ${stalled.map((s) => s.pollerLateMs.toFixed(0)).join(", ")} ms): ${stalled.map((s) => s.ms.toFixed(0)).join(", ")} ms` : ""}`;
      console.log(report);
      expect(elapsed, report).toBeLessThan(1000);
      expect(judged.length, report).toBeGreaterThan(4);
      // Health keeps answering under 100 ms (the bug was minutes). On two cores the browser, this
      // runner and the server share the CPU: one answer in twenty may land just over, never a stall.
      const sorted = [...judged].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length * 0.95) - 1] ?? sorted.at(-1), report).toBeLessThan(100);
      expect(sorted.at(-1), report).toBeLessThan(300);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageState("admin") });

  test("adds a git repository, syncs it, and the runbook page links the commit", async ({ page }) => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-e2e-repo-"));
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=Erin E2e", "-c", "user.email=erin@example.org", ...args], { encoding: "utf8" }).trim();
    git("init", "-q", "-b", "main");
    fs.mkdirSync(path.join(repo, "alerts"));
    fs.writeFileSync(
      path.join(repo, "alerts", "QueueBacklogGrowing.md"),
      [
        "---\nalerts: [QueueBacklogGrowing]\ntags: [queues]\n---\n\n# QueueBacklogGrowing\n\n## Diagnosis\n",
        "- Look at the queue: `curl -fsS http://127.0.0.1:8080/metrics`",
        // As repositories have them: a command without backticks under its lead-in, and an HTML image.
        "\nCount the stuck jobs:\ncurl -fsS http://127.0.0.1:8080/metrics/queue\n",
        '<img src="images/queue-flow.png" alt="Queue flow" width="400">\n',
      ].join("\n"),
    );
    git("add", ".");
    git("commit", "-q", "-m", "queue runbook");
    const commit = git("rev-parse", "HEAD");

    await page.goto("/runbooks/repositories");
    const form = page.getByRole("form", { name: "Add a repository" });
    await form.getByLabel("Name").fill("e2e-runbooks");
    await form.getByLabel("Checkout folder").fill(repo);
    await form.getByLabel("Branch").fill("main");
    await form.getByLabel("Commit link").fill("https://git.example.org/ops/runbooks/commit/{commit}");
    await form.getByRole("button", { name: "Add repository" }).click();
    const card = page.getByTestId("repository").filter({ hasText: "e2e-runbooks" });
    await card.getByRole("button", { name: "Sync e2e-runbooks now" }).click();
    await expect(card.getByRole("status").filter({ hasText: "1 created" })).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("repository").filter({ hasText: "e2e-runbooks" }).getByTestId("repository-last-sync")).toContainText(commit.slice(0, 12));

    await page.goto("/runbooks?alert=QueueBacklogGrowing");
    await page.getByRole("link", { name: "QueueBacklogGrowing", exact: true }).click();
    const link = page.getByTestId("revision-commit");
    await expect(link).toHaveText(commit.slice(0, 12));
    await expect(link).toHaveAttribute("href", `https://git.example.org/ops/runbooks/commit/${commit}`);
    await expect(page.getByTestId("revision-line")).toContainText("alerts/QueueBacklogGrowing.md");
    const cards = page.getByTestId("step-card");
    await expect(cards).toHaveCount(2);
    await expect(cards.nth(1)).toContainText("found as command written as plain text");
    await expect(cards.nth(1)).toContainText("Count the stuck jobs");
    // The plain line shows once: as the step's command, not again in the paragraph above it.
    await expect(page.getByTestId("runbook-document").getByText("Count the stuck jobs:", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "[image: Queue flow]" })).toBeVisible();
    fs.rmSync(repo, { recursive: true, force: true });
  });
});

test.describe("viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("reads runbooks but has no edit UI, and direct calls to the actions are refused", async ({ page }) => {
    await page.goto("/runbooks");
    const link = page.getByRole("link", { name: TITLE }).and(page.locator(`[href="/runbooks/${SLUG}"]`));
    await expect(link).toBeVisible();
    await expect(page.getByRole("form", { name: "Upload runbooks" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New runbook" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /^Create / })).toHaveCount(0);

    await link.click();
    await expect(page.getByTestId("step-card").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Archive" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
    await page.goto(`/runbooks/${SLUG}/edit`);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();

    const save = await callAction(page.request, `/runbooks/${SLUG}/edit`, "app/(console)/runbooks/actions.ts", "saveRunbookAction", [
      { slug: SLUG, markdown: "# Replaced by a viewer\n", version: 3 },
    ]);
    expect(save.body).toContain("may not do this");
    const create = await callAction(page.request, "/runbooks/new", "app/(console)/runbooks/actions.ts", "createRunbookAction", [
      { title: "Viewer runbook", markdown: "# Viewer runbook\n" },
    ]);
    expect(create.body).toContain("may not do this");
    const upload = await callAction(page.request, "/runbooks", "app/(console)/runbooks/actions.ts", "importRunbooksAction", [{ files: [] }]);
    expect(upload.body).toContain("may not do this");

    await page.goto(`/runbooks/${SLUG}/revisions`);
    await expect(page.getByRole("cell", { name: "2 (current)" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Revisions (2)" })).toBeVisible();
    await page.goto("/runbooks?q=Viewer+runbook");
    await expect(page.getByText("No runbook matches these filters.")).toBeVisible();
  });
});
