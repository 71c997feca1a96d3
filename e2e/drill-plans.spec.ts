import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures/accounts";
import { callAction } from "./fixtures/server-action";

// Drill plans are edited in the browser by admins: the editor checks JSON, the plan's shape and
// the steps it names, and the drill start page then shows the saved plan. Commanders, who run and
// sign off drills, may not change what a drill does. Uses its own runbook.
const stamp = Date.now().toString(36);
const TITLE = `Plan editor probe ${stamp}`;
const SLUG = `plan-editor-probe-${stamp}`;
const RUNBOOK = `# ${TITLE}\n\n**Owner:** Platform\n\n## Check runtime\n\n\`\`\`bash\n./scripts/runtime-health-check.sh\n\`\`\`\n`;

test.describe.configure({ mode: "serial" });

test.describe("admin", () => {
  test.use({ storageState: storageState("admin") });

  test("edits a runbook's drill plan; bad JSON and unknown steps are refused with the reason", async ({ page }) => {
    await page.goto("/runbooks");
    await page.getByLabel("Markdown files").setInputFiles({ name: `${SLUG}.md`, mimeType: "text/markdown", buffer: Buffer.from(RUNBOOK) });
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByRole("list", { name: "Import results" }).getByRole("link", { name: TITLE })).toBeVisible();

    await page.goto(`/drills/new?runbook=${SLUG}`);
    await page.getByRole("link", { name: "Edit drill plan" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Drill plan: ${TITLE}` })).toBeVisible();
    await expect(page.getByRole("cell", { name: "check-runtime-1" })).toBeVisible();

    const form = page.getByRole("form", { name: "Edit drill plan" });
    const editor = form.getByLabel("Plan (JSON)");
    await editor.fill("{ not json");
    await form.getByRole("button", { name: "Save plan" }).click();
    await expect(form.getByText(/This is not valid JSON/)).toBeVisible();
    // What was typed stays for correcting.
    await expect(editor).toHaveValue("{ not json");

    await editor.fill(JSON.stringify({ steps: { "check-runtim-1": { skip: "typo" } } }));
    await form.getByRole("button", { name: "Save plan" }).click();
    await expect(form.getByText("The plan names steps this runbook does not have: check-runtim-1. Its steps are: check-runtime-1.").first()).toBeVisible();

    const plan = { summary: "Watch the runtime while the check runs.", steps: { "check-runtime-1": { setup: [{ kind: "note", text: "Open the runtime dashboard first." }] } } };
    await editor.fill(JSON.stringify(plan, null, 2));
    await form.getByRole("button", { name: "Save plan" }).click();
    await expect(form.getByRole("status")).toHaveText("Drill plan saved.");
    await expect(page.getByText("Saved plan, version 1.")).toBeVisible();
    await expect(page.getByRole("region", { name: /Drill plan: setup and cleanup/ })).toContainText("Open the runtime dashboard first.");

    await page.goto(`/drills/new?runbook=${SLUG}`);
    await expect(page.getByRole("region", { name: /Drill plan: setup and cleanup/ })).toContainText("Watch the runtime while the check runs.");
  });
});

test.describe("commander", () => {
  test.use({ storageState: storageState("commander") });

  test("may not open the plan editor nor save a plan directly", async ({ page }) => {
    await page.goto(`/drills/plans/${SLUG}`);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await page.goto(`/drills/new?runbook=${SLUG}`);
    await expect(page.getByRole("link", { name: "Edit drill plan" })).toHaveCount(0);
    const save = await callAction(page.request, `/drills/plans/${SLUG}`, "app/(console)/drills/actions.ts", "saveDrillPlanAction", [
      { runbookSlug: SLUG, version: "1", plan: "{}" },
    ]);
    expect(save.body).toContain("may not do this");
  });
});
