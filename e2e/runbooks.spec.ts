import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures/accounts";
import { callAction } from "./fixtures/server-action";

// Issue 4: a commander uploads the four seeds through the UI, opens a runbook, sees its step
// cards, edits a line and sees the second revision with its diff; a viewer reads but cannot edit,
// neither in the UI nor by calling the actions directly.
// The seeds' bytes, under .md names of this spec's own: other specs on the same server import seed
// 000 under its title's slug, and this spec needs a runbook whose history starts here.
const seeds = path.resolve(process.cwd(), "../shared/seeds");
const copies = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-e2e-seeds-"));
const seedPaths = fs
  .readdirSync(seeds)
  .sort()
  .map((f) => {
    const copy = path.join(copies, `library-e2e-${f.slice(0, 3)}.md`);
    fs.copyFileSync(path.join(seeds, f), copy);
    return copy;
  });
const SLUG = "library-e2e-000";
const TITLE = "Operator Incident and Rollback Runbook (Host-Only)";

test.describe.configure({ mode: "serial" });

test.describe("commander", () => {
  test.use({ storageState: storageState("commander") });

  test("uploads the seeds, opens a runbook, edits a line and sees revision 2 with the diff", async ({ page }) => {
    await page.goto("/runbooks");
    // An empty file among the seeds is refused on its own; the seeds import.
    const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-e2e-runbooks-")), "empty.md");
    fs.writeFileSync(empty, "");
    await page.getByLabel("Markdown files").setInputFiles([...seedPaths, empty]);
    await page.getByRole("button", { name: "Import" }).click();
    const results = page.getByRole("list", { name: "Import results" });
    await expect(results.getByText(/revision 1 \(created\)/)).toHaveCount(4);
    await expect(results.getByText(/✗ empty\.md: .*empty/)).toBeVisible();

    // The index's pending entries appear in their categories; the seeds' own text came through unchanged.
    await expect(page.getByRole("heading", { name: /Critical Incident Response/ })).toBeVisible();
    await expect(page.getByRole("link", { name: "Create Incident response" })).toBeVisible();
    const exported = await page.request.get(`/runbooks/${SLUG}/export`);
    expect(await exported.text()).toBe(fs.readFileSync(seedPaths[0], "utf8"));

    await results.getByRole("link", { name: TITLE }).click();
    await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
    const cards = page.getByTestId("step-card");
    expect(await cards.count()).toBeGreaterThanOrEqual(7);
    await expect(cards.filter({ hasText: "missing-release-id" }).getByText("Expected failure: a non-zero exit is the pass").first()).toBeVisible();
    await expect(page.getByTestId("step-assertion").filter({ hasText: "queue_reason" })).toBeVisible();
    await expect(cards.first().getByRole("button", { name: "Copy step 1" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Contents" }).getByRole("link", { name: "5) Rollback Command Validation" })).toBeVisible();

    await page.getByRole("link", { name: "Edit" }).click();
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
    await expect(page.getByText("No runbook matches this search.")).toBeVisible();
  });
});
