import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, accounts, storageState } from "./fixtures/accounts";
import { declareThroughForm } from "./fixtures/incidents";
import { signIn } from "./fixtures/session";
import { callAction } from "./fixtures/server-action";

// Issue 9: a resolved SEV1 with a note, a step executed on the reference environment's host agent
// and a public update; the commander reviews it (one merged timeline in order, detected and
// mitigated marked, one occurred-at corrected with the original still shown, a follow-up for a
// pending runbook from the seed 003 index), publishes it and exports markdown. A viewer reads the
// published review but cannot edit it, neither in the UI nor by posting the action directly.
// Seed copies are imported under their own titles so other specs still see the seeds as new.
const seeds = path.resolve(process.cwd(), "../shared/seeds");
const seedText = (prefix: string) => fs.readFileSync(path.join(seeds, fs.readdirSync(seeds).find((f) => f.startsWith(prefix))!), "utf8");
const RUNBOOK_TITLE = "Postmortem e2e copy of the operator runbook";
const runbook = seedText("000_").replace(/^# .*$/m, `# ${RUNBOOK_TITLE}`);
const index = seedText("003_").replace(/^# .*$/m, "# Postmortem e2e copy of the runbook index");

const stamp = Date.now();
const TITLE = `Worker queue stalled ${stamp}`;
const NOTE = `Queue depth climbing past 4000 (${stamp})`;
const UPDATE = `Jobs are delayed while we restart workers (${stamp}).`;
const FOLLOW_UP = `Write the incident response runbook (${stamp})`;
const ACTIONS = "app/(console)/incidents/[ref]/review/actions.ts";

test.describe.configure({ mode: "serial" });
// Several pages, a real step on the host agent and a production build on a busy machine.
test.setTimeout(180_000);
let reviewUrl = "";

const item = (page: Page, text: string) => page.getByTestId("timeline-item").filter({ hasText: text });

async function openItemTools(page: Page, text: string) {
  const it = item(page, text);
  const details = it.locator("details");
  if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) await it.getByText("Review this item").click();
  return it;
}

test.describe("commander", () => {
  test.use({ storageState: storageState("commander") });

  test("runs an incident to resolution: note, executed step, public update", async ({ page }) => {
    await page.goto("/runbooks");
    await page.getByLabel("Markdown files").setInputFiles([
      { name: "postmortem-e2e-runbook.md", mimeType: "text/markdown", buffer: Buffer.from(runbook) },
      { name: "postmortem-e2e-index.md", mimeType: "text/markdown", buffer: Buffer.from(index) },
    ]);
    await page.getByRole("button", { name: "Import" }).click();
    const imported = page.getByRole("list", { name: "Import results" }).getByRole("link", { name: RUNBOOK_TITLE });
    await expect(imported).toBeVisible();
    const runbookUrl = (await imported.getAttribute("href"))!;

    const incidentUrl = new URL(await declareThroughForm(page, { title: TITLE, severity: "SEV1", surfaces: "worker loop" })).pathname;

    await page.getByLabel("Note", { exact: true }).fill(NOTE);
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByRole("list", { name: "Timeline events" }).getByText(NOTE)).toBeVisible();

    // A real step on the reference environment's host agent, while the incident is open.
    await page.goto(runbookUrl);
    const card = page.getByTestId("step-card").filter({ has: page.getByRole("heading", { name: /^Step 1:/ }) });
    await card.getByRole("button", { name: "Run step 1", exact: true }).click();
    await card.getByRole("form", { name: "Run step 1" }).getByRole("button", { name: "Start step 1" }).click();
    await expect(card.getByRole("region", { name: "Execution of step 1" }).getByRole("status")).toContainText("Succeeded", { timeout: 30_000 });

    await page.goto(incidentUrl);
    await page.getByRole("tab", { name: "Public updates" }).click();
    const update = page.getByRole("form", { name: "Public update" });
    await update.getByLabel("Public headline").fill("Delayed job processing");
    await update.getByLabel("Status", { exact: true }).selectOption("identified");
    await update.getByLabel("Message for stakeholders").fill(UPDATE);
    // Components other specs put on the page are all operational: say that nothing public is affected.
    const nothingAffected = update.getByLabel(/Nothing public is affected/);
    if (await nothingAffected.isVisible()) await nothingAffected.check();
    await update.getByRole("button", { name: "Publish update" }).click();
    await expect(update.getByRole("status")).toHaveText("Update published.");

    await page.getByRole("tab", { name: "Command" }).click();
    const status = page.getByRole("form", { name: "Change status" });
    await status.getByLabel("Move to").selectOption("resolved");
    await status.getByRole("button", { name: "Change status" }).click();
    await expect(page.getByTestId("incident-status")).toHaveText("Resolved");

    await page.getByRole("link", { name: "Review", exact: true }).click();
    await expect(page).toHaveURL(/\/incidents\/INC-\d+\/review$/);
    reviewUrl = new URL(page.url()).pathname;
  });

  test("reviews the merged timeline, marks moments, corrects a time, adds a follow-up, publishes and exports", async ({ page, browser }) => {
    // A second reviewer has the review open in another browser and follows along without reloading.
    const other = await browser.newContext({ storageState: storageState("commander2") });
    const otherPage = await other.newPage();
    await otherPage.goto(reviewUrl);
    await page.goto(reviewUrl);
    await expect(page.getByRole("heading", { name: `Postmortem review: ${TITLE}` })).toBeVisible();
    await expect(page.getByTestId("review-deadline")).toContainText("Due: review within 48 hours");

    // Note, executed step and public update: one list, in the order they happened.
    const sources = await page.getByTestId("timeline-item").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-source")}|${e.textContent}`));
    const at = (pred: (s: string) => boolean) => sources.findIndex(pred);
    const note = at((s) => s.startsWith("note|") && s.includes(NOTE));
    const step = at((s) => s.startsWith("execution|") && s.includes("Ran step"));
    const update = at((s) => s.startsWith("public_update|") && s.includes(UPDATE));
    expect(note).toBeGreaterThanOrEqual(0);
    expect(step).toBeGreaterThan(note);
    expect(update).toBeGreaterThan(step);
    await expect(item(page, "Ran step").getByText("Exit code")).toBeVisible();

    // Filter by source, then back.
    await page.getByRole("form", { name: "Filter timeline" }).getByLabel("Step execution").check();
    await page.getByRole("form", { name: "Filter timeline" }).getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("timeline-item")).toHaveCount(1);
    await page.goto(reviewUrl);

    let it = await openItemTools(page, NOTE);
    await it.getByRole("form", { name: "Mark key moment" }).getByLabel("Key moment").selectOption("detected");
    await it.getByRole("form", { name: "Mark key moment" }).getByRole("button", { name: "Mark" }).click();
    await expect(page.getByTestId("moment-detected")).toContainText("marked in review", { timeout: 10_000 });

    it = await openItemTools(page, "Ran step");
    await it.getByRole("form", { name: "Mark key moment" }).getByLabel("Key moment").selectOption("mitigated");
    await it.getByRole("form", { name: "Mark key moment" }).getByRole("button", { name: "Mark" }).click();
    await expect(page.getByTestId("moment-mitigated")).toContainText("marked in review");
    await expect(item(page, "Ran step").getByTestId("moment-badge")).toHaveText("key moment: mitigated");
    await expect(page.getByTestId("duration-mitigate")).not.toHaveText("—");
    await expect(otherPage.getByTestId("moment-mitigated")).toContainText("marked in review", { timeout: 10_000 });
    await other.close();

    // The pager fired two minutes before the note was written: correct it, the original stays.
    it = await openItemTools(page, NOTE);
    const original = (await it.locator("time").first().getAttribute("datetime"))!;
    const corrected = new Date(Date.parse(original) - 120_000).toISOString();
    const form = it.getByRole("form", { name: "Correct occurred-at" });
    await form.getByLabel("Occurred at (UTC)").fill(corrected.slice(0, 19));
    await form.getByLabel("Reason").fill("The pager fired before the note was written");
    await form.getByRole("button", { name: "Correct time" }).click();
    const originalShown = item(page, NOTE).getByTestId("original-time");
    await expect(originalShown).toContainText(`originally recorded as occurring at ${original.slice(0, 10)} ${original.slice(11, 19)} UTC`);
    await expect(item(page, NOTE).locator("time").first()).toHaveAttribute("datetime", `${corrected.slice(0, 19)}.000Z`);
    await expect(page.getByTestId("moment-detected")).toContainText(`${corrected.slice(0, 10)} ${corrected.slice(11, 19)} UTC`);

    const followUp = page.getByRole("form", { name: "Add follow-up" });
    await followUp.getByLabel("Follow-up action").fill(FOLLOW_UP);
    await followUp.getByLabel("Owner").selectOption({ label: `${accounts.commander2.name} (commander)` });
    await followUp.getByLabel("Due date").fill("2030-01-31");
    await followUp.getByLabel("Runbook").selectOption("create:incident-response");
    await followUp.getByRole("button", { name: "Add follow-up" }).click();
    await expect(page.getByRole("table", { name: "Follow-ups" }).getByRole("row").filter({ hasText: FOLLOW_UP })).toContainText("create runbook incident-response");

    const text = page.getByRole("form", { name: "Review text" });
    await text.getByLabel("Summary").fill("Workers stopped taking jobs for about ten minutes.");
    await text.getByLabel("Root cause").fill("A stuck lease blocked the dispatch loop.");
    await text.getByLabel("Missing alerts").fill("No alert on lease age.");
    await text.getByRole("button", { name: "Save review" }).click();
    await expect(text.getByRole("status")).toHaveText("Review saved.");

    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByTestId("review-status")).toHaveText("in review");
    await page.getByRole("button", { name: /^Approve version \d+$/ }).click();
    await expect(page.getByText(new RegExp(`${accounts.commander.name}: approved version \\d+`))).toBeVisible();
    await page.getByRole("button", { name: "Publish review" }).click();
    await expect(page.getByTestId("review-status")).toHaveText("published");
    await expect(page.getByRole("form", { name: "Review text" })).toHaveCount(0);

    const md = await (await page.request.get(`${reviewUrl}/export/md`)).text();
    expect(md).toContain("## Timeline");
    expect(md).toContain(NOTE);
    expect(md).toContain(`Ran step`);
    expect(md).toContain(UPDATE);
    expect(md).toContain("recorded as");
    expect(md).toContain(FOLLOW_UP);
    expect(md).toContain("create runbook incident-response");
    const csv = await page.request.get(`${reviewUrl}/export/csv`);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect((await csv.text()).split("\r\n")[0]).toContain("occurred_at_utc");
  });
});

test.describe("viewer", () => {
  // Signs in afresh rather than from the saved state: the viewer's session is the one under test.
  test.use({ storageState: { cookies: [], origins: [] } });

  test("reads the published review and cannot edit it in the UI or by posting directly", async ({ page }) => {
    await signIn(page, accounts.viewer.email, PASSWORD);
    await page.goto(reviewUrl);
    await expect(page.getByRole("heading", { name: `Postmortem review: ${TITLE}` })).toBeVisible();
    await expect(page.getByTestId("review-status")).toHaveText("published");
    await expect(page.getByText("A stuck lease blocked the dispatch loop.")).toBeVisible();
    await expect(page.getByText(FOLLOW_UP)).toBeVisible();
    await expect(page.getByRole("form", { name: "Review text" })).toHaveCount(0);
    await expect(page.getByText("Review this item")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Set" })).toHaveCount(0);

    const incidentId = await page.evaluate(async (url) => (await (await fetch(`${url}/export/json`)).json()).incident.id as string, reviewUrl);
    const direct = await callAction(page.request, reviewUrl, ACTIONS, "updateReviewAction", [{ incidentId, version: 1, summary: "Rewritten by a viewer" }]);
    expect(direct.body).toContain("may not do this");
    const annotate = await callAction(page.request, reviewUrl, ACTIONS, "annotateAction", [{ incidentId, itemKey: "event:1", body: "viewer note" }]);
    expect(annotate.body).toContain("may not do this");
    await page.reload();
    await expect(page.getByText("Rewritten by a viewer")).toHaveCount(0);
    await expect(page.getByText("Workers stopped taking jobs for about ten minutes.")).toBeVisible();
  });
});
