import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures/accounts";

// Other specs import seed 002 under slugs of their own; the label then names the slug too.
const PLAYBOOK_LINK = /^Playbook: Incident Response Runbook( \([\w-]+\))? › Queue depth rising, no dispatch$/;
const SECTION_LINK = /^Incident Response Runbook( \([\w-]+\))? › Queue depth rising, no dispatch$/;

// Trigger alert banner → declare pre-filled → capture evidence → download and verify the bundle,
// against the reference environment the e2e server starts (signals scraped every 15 s).
test.describe.configure({ mode: "serial" });

test("a commander declares from the stalled-queue trigger, captures evidence and downloads the bundle", async ({ browser }) => {
  test.setTimeout(180_000);
  const adminContext = await browser.newContext({ storageState: storageState("admin") });
  const admin = await adminContext.newPage();
  const commanderContext = await browser.newContext({ storageState: storageState("commander") });
  const page = await commanderContext.newPage();
  try {
    // Seed 002 holds the playbooks the triggers name (a no-op when another spec imported it).
    const seeds = path.resolve(process.cwd(), "../shared/seeds");
    await admin.goto("/runbooks");
    await admin.getByLabel("Markdown files").setInputFiles([path.join(seeds, fs.readdirSync(seeds).find((f) => f.startsWith("002"))!)]);
    await admin.getByRole("button", { name: "Import" }).click();
    await expect(admin.getByRole("list", { name: "Import results" }).getByRole("link", { name: "Incident Response Runbook" })).toBeVisible();

    await admin.goto("/environments/reference");
    await admin.getByRole("button", { name: "Switch on stalled worker queue" }).click();
    await expect(admin.getByRole("button", { name: "Switch off stalled worker queue" })).toBeVisible();

    // Sitrep's own trigger rule is an alert like any other: its banner (live, no reload) declares.
    const banner = page.getByTestId("alert-banner-queue_no_dispatch");
    await page.goto("/incidents");
    await expect(banner.getByRole("link", { name: "Declare from alert: Queue depth rising, no dispatch" })).toBeVisible({ timeout: 90_000 });
    await expect(banner).toContainText("Suggested SEV2");
    await expect(banner).toContainText("Warning");

    await banner.getByRole("link", { name: "Declare from alert: Queue depth rising, no dispatch" }).click();
    const form = page.getByRole("form", { name: "Declare incident from alert" });
    await expect(page.getByTestId("declare-runbook").getByRole("link", { name: PLAYBOOK_LINK }).first()).toBeVisible();
    await expect(form.getByLabel("Severity")).toHaveValue("SEV2");
    await expect(form.getByLabel("Affected surfaces")).toHaveValue("worker");
    await expect(form.getByLabel("Title")).toHaveValue(/Queue depth rising, no dispatch \(reference\)/);
    await form.getByRole("button", { name: "Declare" }).click();
    await expect(page).toHaveURL(/\/incidents\/INC-\d+/);
    await expect(page.getByText(/Declared from alert "Queue depth rising, no dispatch"/)).toBeVisible();
    const incidentUrl = page.url();
    const incidentRef = incidentUrl.split("/").pop()!;

    // The trigger's playbook leads to its section in seed 002, for this incident.
    const playbook = page.getByTestId("trigger-playbook");
    await expect(playbook).toContainText("Queue depth rising, no dispatch");
    await playbook.getByRole("link", { name: SECTION_LINK }).first().click();
    await expect(page.getByTestId("run-for-incident")).toContainText(`Opened for ${incidentRef}`);
    await expect(page).toHaveURL(/#doc-queue-depth-rising-no-dispatch/);
    await expect(page.locator("[id^='doc-queue-depth-rising-no-dispatch']")).toBeVisible();
    await page.goto(incidentUrl);

    await page.getByRole("form", { name: "Capture evidence" }).getByRole("button", { name: "Capture evidence" }).click();
    await expect(page.getByTestId("evidence-table").locator("tbody tr")).toHaveCount(5, { timeout: 20_000 });

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download bundle" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^INC-\d+-evidence\.tar$/);
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.subarray(0, 13).toString()).toBe("manifest.json");
    const manifestSize = parseInt(bytes.subarray(124, 136).toString().replace(/\0.*$/s, "").trim(), 8);
    const manifest = JSON.parse(bytes.subarray(512, 512 + manifestSize).toString()) as { artifacts: { kind: string; sha256: string }[] };
    expect(manifest.artifacts.map((a) => a.kind).sort()).toEqual(["audit_logs", "dlq", "health", "jobs", "metrics"]);

    await page.getByRole("button", { name: "Verify evidence" }).click();
    await expect(page.getByTestId("verify-result")).toHaveText("All 5 artifacts match their SHA-256.");
  } finally {
    await admin.goto("/environments/reference");
    await admin.getByRole("button", { name: "Clear all faults" }).click();
    await adminContext.close();
    await commanderContext.close();
  }
});
