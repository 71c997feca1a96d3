import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { startPrometheusStack, type PrometheusStack } from "../lib/alerts/testing/prometheus-stack";
import { storageState } from "./fixtures/accounts";

// Other specs import seed 002 under slugs of their own; the label then names the slug too.
const PLAYBOOK_LINK = /^Playbook: Incident Response Runbook( \([\w-]+\))? › Queue depth rising, no dispatch$/;
const SECTION_LINK = /^Incident Response Runbook( \([\w-]+\))? › Queue depth rising, no dispatch$/;

// The whole way in: an admin adds an Alertmanager source in the browser; Debian's Prometheus and
// Alertmanager run the shipped rules against the e2e server's reference runtime and post to the
// console's real webhook route; the stalled queue shows up live in two open inboxes; a commander
// declares from it; the incident shows the alert; the banner links to the incident, and goes
// away when the fault is off and the alert resolves.
test.describe.configure({ mode: "serial" });

const ALERT = "QueueDepthRisingNoDispatch";

async function importSeed002(page: Page) {
  const seeds = path.resolve(process.cwd(), "../shared/seeds");
  await page.goto("/runbooks");
  await page.getByLabel("Markdown files").setInputFiles([path.join(seeds, fs.readdirSync(seeds).find((f) => f.startsWith("002"))!)]);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("list", { name: "Import results" }).getByRole("link", { name: "Incident Response Runbook" })).toBeVisible();
}

test("Alertmanager alerts arrive live in two inboxes, a commander declares from one, the banner leads to the incident", async ({ browser }) => {
  test.setTimeout(240_000);
  const adminContext = await browser.newContext({ storageState: storageState("admin") });
  const commanderContext = await browser.newContext({ storageState: storageState("commander") });
  const responderContext = await browser.newContext({ storageState: storageState("responder") });
  const admin = await adminContext.newPage();
  let stack: PrometheusStack | undefined;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-e2e-prom-"));
  try {
    await importSeed002(admin);

    await admin.goto("/alerts/sources");
    const form = admin.getByRole("form", { name: "Add alert source" });
    await form.getByLabel("Name").fill("e2e alertmanager");
    await form.getByLabel("Sends").selectOption("alertmanager");
    await form.getByLabel("Secret").selectOption("bearer");
    await form.getByRole("button", { name: "Add source" }).click();
    const url = (await admin.getByTestId("webhook-url").textContent())!.trim();
    const secret = (await admin.getByTestId("webhook-secret").textContent())!.trim();
    expect(url).toMatch(/\/api\/alerts\/webhook\/[0-9a-f-]{36}$/);

    // A wrong secret is refused by the real route.
    const refused = await admin.request.post(url, { headers: { authorization: "Bearer nope", "content-type": "application/json" }, data: "{}" });
    expect(refused.status()).toBe(401);

    // Prometheus scrapes the runtime of the e2e server's reference environment, as its page shows it.
    await admin.goto("/environments/reference");
    const runtimeUrl = (await admin.locator("dt", { hasText: "Runtime API" }).locator("xpath=following-sibling::dd[1]").textContent())!.trim();
    stack = await startPrometheusStack({ dir: scratch, runtimeUrl, webhookUrl: url, token: secret, environment: "reference" });

    // Two people have the inbox open before anything fires.
    const commander = await commanderContext.newPage();
    const responder = await responderContext.newPage();
    await commander.goto("/alerts");
    await responder.goto("/alerts");
    await expect(commander.getByTestId("inbox-live")).toHaveText("Live");
    await expect(responder.getByTestId("inbox-live")).toHaveText("Live");

    await admin.goto("/environments/reference");
    await admin.getByRole("button", { name: "Switch on stalled worker queue" }).click();
    await expect(admin.getByRole("button", { name: "Switch off stalled worker queue" })).toBeVisible();

    const group = (page: Page) => page.locator(`[data-testid="alert-group"][data-alertname="${ALERT}"]`);
    // No reloads: the inboxes update by themselves.
    await expect(group(commander)).toBeVisible({ timeout: 90_000 });
    await expect(group(responder)).toBeVisible({ timeout: 5_000 });
    await expect(group(commander)).toContainText("Critical");
    await expect(group(commander).getByRole("link", { name: /^Incident Response Runbook( \([\w-]+\))?$/ }).first()).toBeVisible();
    await expect(group(commander).getByRole("link", { name: PLAYBOOK_LINK }).first()).toBeVisible();

    await group(commander).getByRole("link", { name: /^Declare incident from/ }).click();
    const declare = commander.getByRole("form", { name: "Declare incident from alert" });
    await expect(declare.getByLabel("Severity")).toHaveValue("SEV1");
    await expect(declare.getByLabel("Affected surfaces")).toHaveValue("worker");
    await expect(declare.getByLabel("Title")).toHaveValue("Queue depth rising, no dispatch (reference)");
    await expect(commander.getByTestId("declare-runbook").getByRole("link", { name: /^Incident Response Runbook( \([\w-]+\))?$/ }).first()).toBeVisible();
    await declare.getByRole("button", { name: "Declare" }).click();
    await expect(commander).toHaveURL(/\/incidents\/INC-\d+$/);
    const ref = commander.url().split("/").pop()!;

    // The incident shows the alert (timeline and current state) and opens its runbook for it.
    await expect(commander.getByText(/Declared from alert "Queue depth rising, no dispatch"/)).toBeVisible();
    await expect(commander.getByTestId("incident-alerts-chip")).toContainText("1 of 1 alert firing");
    await expect(commander.getByTestId("trigger-playbook").getByRole("link", { name: SECTION_LINK }).first()).toBeVisible();

    // The signals tab lists the attached alert by name.
    await commander.getByRole("tab", { name: "Signals, freeze & recovery" }).click();
    await expect(commander.getByTestId("incident-alerts")).toContainText("Queue depth rising, no dispatch");

    // The other tab learns where the alert went, live; the banner elsewhere links to the incident.
    await expect(group(responder).getByTestId("group-incident")).toHaveText(new RegExp(`${ref} · `));
    await responder.goto("/incidents");
    const banner = responder.getByTestId(`alert-banner-${ALERT}`);
    await expect(banner.getByRole("link", { name: `Go to ${ref}, declared from this alert` })).toBeVisible();

    // Fault off: Prometheus resolves the alert, the incident sees it, the banner goes.
    await admin.getByRole("button", { name: "Switch off stalled worker queue" }).click();
    // Both chips follow live: the header's and the signals tab's.
    await expect(commander.getByTestId("incident-alerts-chip").first()).toContainText("All 1 alert resolved", { timeout: 90_000 });
    await expect(commander.getByTestId("incident-alerts-chip").last()).toContainText("All 1 alert resolved");
    await expect(banner).toHaveCount(0, { timeout: 10_000 });
  } finally {
    await stack?.stop();
    await admin.goto("/environments/reference");
    await admin.getByRole("button", { name: "Clear all faults" }).click();
    await adminContext.close();
    await commanderContext.close();
    await responderContext.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
