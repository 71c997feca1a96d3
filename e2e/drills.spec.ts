import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { acquireSeedHostLock, type HostLock } from "../lib/drills/host-lock";
import { accounts, storageState } from "./fixtures/accounts";
import { callAction } from "./fixtures/server-action";

// Issue 6: a commander runs seed 000 as a drill from the runbook page against the reference
// environment the e2e server starts, watches it, and signs it off; the runbook page then shows
// the Validation Log row and "validated", and an edit turns it "stale". A viewer can neither start
// nor sign off a drill, in the UI or by calling the actions directly.
const seeds = path.resolve(process.cwd(), "../shared/seeds");
const SEED_000 = path.join(seeds, fs.readdirSync(seeds).sort().find((f) => f.startsWith("000"))!);
const SLUG = "operator-incident-and-rollback-runbook-host-only";
const TITLE = "Operator Incident and Rollback Runbook (Host-Only)";

// Seed 000 §6 creates app_preview_1..3 in the PostgreSQL at 127.0.0.1:5432 and the drill drops
// them again (declared resources): the spec holds the machine-wide seed host lock meanwhile and
// checks that none is left.
async function previewDatabases(): Promise<string[]> {
  const sql = postgres(process.env.SITREP_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {} });
  try {
    return (await sql`select datname from pg_database where datname like 'app\_preview\_%'`).map((r) => String(r.datname));
  } finally {
    await sql.end();
  }
}
let lock: HostLock | undefined;

test.describe.configure({ mode: "serial" });

test.describe("commander", () => {
  test.use({ storageState: storageState("commander") });
  test.beforeAll(async () => {
    lock = await acquireSeedHostLock();
  });
  test.afterAll(async () => {
    await lock?.release();
  });

  test("runs seed 000 as a drill from the runbook page, watches it, signs it off; an edit makes it stale", async ({ page }) => {
    test.setTimeout(240_000);
    // Upload the seed as it is (a no-op or a new revision if another spec changed it).
    await page.goto("/runbooks");
    await page.getByLabel("Markdown files").setInputFiles([SEED_000]);
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByRole("list", { name: "Import results" }).getByRole("link", { name: TITLE })).toBeVisible();

    await page.goto(`/runbooks/${SLUG}`);
    await page.getByRole("link", { name: /Run drill/ }).click();
    await expect(page.getByRole("heading", { name: "Run a validation drill" })).toBeVisible();
    await expect(page.getByRole("region", { name: /Drill plan/ })).toContainText(/release every/i);
    await page.getByLabel("Environment").selectOption({ label: "reference" });
    await page.getByRole("button", { name: "Start drill" }).click();

    await expect(page).toHaveURL(/\/drills\/[0-9a-f-]{36}$/);
    // Live: the page follows the drill until it completes.
    await expect(page.getByTestId("drill-state")).toHaveText("completed", { timeout: 180_000 });
    await expect(page.getByTestId("drill-result")).toHaveText("passed");
    expect(await previewDatabases()).toEqual([]);
    const readiness = page.getByRole("listitem", { name: "1) Readiness / Baseline" });
    await expect(readiness.getByText("./scripts/runtime-health-check.sh").first()).toBeVisible();
    await expect(readiness.locator("[data-outcome]")).toHaveText("passed");
    await expect(page.getByRole("listitem", { name: /3\) Slot Exhaustion and Recovery — part 1/ })).toContainText("WAITING_FOR_SLOT");
    await expect(page.getByText(/by drill plan: Fallback only/).first()).toBeVisible();

    // The fallback is not applicable by the plan (declared and reviewed with it): a plain pass is possible.
    const signoff = page.getByRole("form", { name: "Sign off drill" });
    await expect(signoff.getByLabel("Result").locator("option")).toHaveText(["Pass", "Pass with notes", "Fail"]);
    await signoff.getByLabel("Result").selectOption({ label: "Pass with notes" });
    await signoff.getByLabel("Notes").fill("Python fallback skipped: no backend virtualenv on the drill host.");
    await signoff.getByRole("button", { name: "Sign off" }).click();
    await expect(page.getByText("Signed off: the Validation Log has a new row.")).toBeVisible();

    await page.goto(`/runbooks/${SLUG}`);
    await expect(page.getByTestId("runbook-status").first()).toHaveText("validated");
    const log = page.locator("section", { has: page.getByRole("heading", { name: "Validation Log" }) });
    const row = log.getByRole("row", { name: new RegExp(accounts.commander.name) });
    await expect(row).toContainText("reference");
    await expect(row).toContainText("Python fallback skipped");
    await expect(row.getByRole("link", { name: "report" })).toHaveAttribute("href", /\/drills\/[0-9a-f-]{36}$/);

    // Editing the runbook makes the validation stale.
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    const editor = page.getByLabel("Markdown");
    await editor.fill((await editor.inputValue()) + "\n<!-- reviewed after the drill -->\n");
    await page.getByRole("button", { name: "Save revision" }).click();
    // Saving lands on the revision diff; leaving earlier would abort the save.
    await expect(page).toHaveURL(/\/revisions\?from=\d+&to=\d+/);
    await page.goto(`/runbooks/${SLUG}`);
    await expect(page.getByTestId("runbook-status").first()).toHaveText("stale");
    await expect(page.getByTestId("runbook-stale-reason").first()).toContainText(/revision changed since its validation on \d{4}-\d{2}-\d{2}/);
    await expect(page.getByRole("link", { name: "Run drill (stale)" })).toBeVisible();
  });
});

test.describe("viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("has no Run drill button and cannot start or sign off a drill directly", async ({ page }) => {
    await page.goto(`/runbooks/${SLUG}`);
    await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
    await expect(page.getByRole("link", { name: /Run drill/ })).toHaveCount(0);
    const start = await callAction(page.request, `/runbooks/${SLUG}`, "app/(console)/drills/actions.ts", "startDrillAction", [
      { runbookSlug: SLUG, environmentId: "00000000-0000-4000-8000-000000000000" },
    ]);
    expect(start.body).toContain("may not do this");
    const sign = await callAction(page.request, `/runbooks/${SLUG}`, "app/(console)/drills/actions.ts", "signOffAction", [
      { drillId: "00000000-0000-4000-8000-000000000000", result: "pass", notes: "" },
    ]);
    expect(sign.body).toContain("may not do this");
  });
});
