import { expect, test, type Browser } from "@playwright/test";
import { storageState, type AccountKey } from "./fixtures/accounts";
import { declareThroughForm } from "./fixtures/incidents";

// Issue 18 item 5: the status page never contradicts the incident. A component mapped to the
// reference environment's Worker surface starts pre-filled from the health board; a text with an
// address and a command is flagged before it goes out; a published update is corrected and another
// retracted; resolving asks for the final update, and closing waits for it.

const stamp = Date.now().toString(36);
const COMPONENT = `Jobs ${stamp}`;
const HEADLINE = `Delayed jobs ${stamp}`;
const LEAKY = "Host 10.0.3.7 stopped answering; we ran systemctl restart worker and it is catching up.";
const FIRST = "Background jobs are delayed in the EU region. We are looking into it.";
const CORRECTED = "Background jobs are delayed in every region. We are looking into it.";
const SECOND = "We think we found the cause of the delayed jobs.";

async function openAs(browser: Browser, who: AccountKey | "admin") {
  const context = await browser.newContext({ storageState: storageState(who) });
  return { context, page: await context.newPage() };
}

test("the public page follows the incident: pre-filled states, the check before publish, corrections, retractions, the final update before closing", async ({ browser }) => {
  // An admin feeds the page from the reference environment and maps a component to its Worker.
  const admin = await openAs(browser, "admin");
  await admin.page.goto("/status-admin");
  const settings = admin.page.getByRole("form", { name: "Status page settings" });
  const reference = settings.getByRole("checkbox", { name: /^reference / });
  if (!(await reference.isChecked())) {
    await reference.check();
    await settings.getByRole("button", { name: "Save settings" }).click();
    await expect(settings.getByRole("status")).toHaveText("Settings saved.");
    await admin.page.reload();
  }
  const add = admin.page.getByRole("form", { name: "Add component" });
  await add.getByLabel("Public name").fill(COMPONENT);
  await add.getByLabel("Group").fill("Processing");
  await add.getByLabel("Surface").selectOption({ label: "reference · Worker" });
  await add.getByRole("button", { name: "Add component" }).click();
  await expect(admin.page.getByRole("cell", { name: `${COMPONENT} Processing` })).toBeVisible();

  // The commander declares a SEV1 on the Worker surface and opens the public updates.
  const commander = await openAs(browser, "commander");
  const page = commander.page;
  const incidentUrl = await declareThroughForm(page, { title: `Worker queue stuck on wrk-07 ${stamp}`, severity: "SEV1", surfaces: "Worker" });
  await page.getByRole("tab", { name: "Public updates" }).click();
  const form = page.getByRole("form", { name: "Public update" });
  const componentSelect = form.getByLabel(new RegExp(`^${COMPONENT}`));
  // Pre-filled from the health board (the open incident on its surface), not "Not affected".
  await expect(componentSelect).toHaveValue("partial_outage");
  await expect(form.getByTestId("component-suggestion")).toContainText("Health board suggests partial outage");
  await expect(form.getByLabel("Status", { exact: true })).toHaveValue("investigating");
  await expect(form.getByLabel("Message for stakeholders")).toHaveValue(/within 30 minutes/);

  // An address and a command are flagged before publish, highlighted; the server refuses too.
  await form.getByLabel("Public headline").fill(HEADLINE);
  await form.getByLabel("Message for stakeholders").fill(LEAKY);
  const check = form.getByTestId("public-text-check");
  await expect(check.locator('mark[data-kind="ip"]')).toHaveText("10.0.3.7");
  await expect(check.locator('mark[data-kind="command"]')).toHaveText("systemctl restart worker");
  await form.getByRole("button", { name: "Publish update" }).click();
  await expect(form.getByRole("status")).toHaveText("Not published: see the check above.");
  await expect(check.locator(".field-error")).toContainText("IP address “10.0.3.7”");
  await expect(page.getByRole("listitem", { name: "Published update: Investigating" })).toHaveCount(0);

  // Rewritten for everyone: nothing to flag, published with the pre-filled state.
  await form.getByLabel("Message for stakeholders").fill(FIRST);
  await expect(check).toHaveCount(0);
  await form.getByRole("button", { name: "Publish update" }).click();
  await expect(form.getByRole("status")).toHaveText("Update published.");
  const first = page.getByRole("listitem", { name: "Published update: Investigating" });
  await expect(first).toBeVisible();

  const anonymous = await browser.newContext();
  const reader = await anonymous.newPage();
  await reader.goto("/status");
  await expect(reader.locator(`[data-component="${COMPONENT}"]`).getByTestId("component-state")).toHaveText("Partial outage");
  await expect(reader.getByTestId("page-state")).not.toHaveText("All systems operational");
  const json = (await (await anonymous.request.get("/status.json")).json()) as { activeIncidents: { title: string; url: string }[] };
  const publicUrl = json.activeIncidents.find((i) => i.title === HEADLINE)!.url;

  // A correction: the page shows the new text marked as corrected.
  await first.getByText("Correct or retract this update").click();
  const correct = first.getByRole("form", { name: /^Correct update Investigating/ });
  await correct.getByLabel("Corrected message").fill(CORRECTED);
  await correct.getByLabel("What was wrong (internal)").fill("Not only the EU region");
  await correct.getByRole("button", { name: "Publish correction" }).click();
  await expect(correct.getByRole("status")).toHaveText("Correction published.");
  await expect(page.getByTestId("corrected-by")).toBeVisible();

  // A second update, then retracted.
  await form.getByLabel("Status", { exact: true }).selectOption("identified");
  await form.getByLabel("Message for stakeholders").fill(SECOND);
  await expect(componentSelect).toHaveValue("partial_outage");
  await form.getByRole("button", { name: "Publish update" }).click();
  await expect(form.getByRole("status")).toHaveText("Update published.");
  const second = page.getByRole("listitem", { name: "Published update: Identified" });
  await second.getByText("Correct or retract this update").click();
  const retract = second.getByRole("form", { name: /^Retract update Identified/ });
  await retract.getByLabel("Why it is withdrawn (internal)").fill("Cause not confirmed yet");
  await retract.getByRole("button", { name: "Retract update" }).click();
  await expect(page.getByRole("listitem", { name: "Retracted update: Identified" })).toBeVisible();

  await reader.goto(publicUrl);
  await expect(reader.getByRole("heading", { level: 1, name: HEADLINE })).toBeVisible();
  await expect(reader.getByText(CORRECTED)).toBeVisible();
  await expect(reader.getByTestId("corrected-note")).toContainText("Corrected");
  await expect(reader.getByTestId("retracted-update")).toContainText("This update was retracted");
  const html = await reader.content();
  expect(html).not.toContain(SECOND);
  expect(html).not.toContain("EU region");
  expect(html).not.toContain("Cause not confirmed");

  // Resolving asks for the final public update, pre-filled.
  await page.getByRole("tab", { name: "Command" }).click();
  const status = page.getByRole("form", { name: "Change status" });
  await status.getByLabel("Move to").selectOption("resolved");
  await status.getByRole("button", { name: "Change status" }).click();
  await expect(page.getByTestId("incident-status")).toHaveText(/^resolved$/i);
  const ask = page.getByTestId("final-public-update");
  await expect(ask).toContainText("the status page still says Investigating");

  // Closing first is refused: the page would keep saying the incident is open.
  await status.getByLabel("Move to").selectOption("closed");
  await expect(status).toContainText("The status page must say Resolved first");
  await status.getByRole("button", { name: "Change status" }).click();
  await expect(status).toContainText("The status page still shows this incident as Investigating.");

  await ask.getByRole("button", { name: "Write the final public update" }).click();
  const finalForm = page.getByRole("form", { name: "Public update" });
  await expect(finalForm.getByLabel("Message for stakeholders")).toBeFocused();
  await expect(finalForm.getByLabel("Status", { exact: true })).toHaveValue("resolved");
  await expect(finalForm.getByLabel("Message for stakeholders")).toHaveValue(/^This incident is resolved/);
  await expect(finalForm.getByLabel(new RegExp(`^${COMPONENT}`))).toHaveValue("operational");
  await finalForm.getByRole("button", { name: "Publish update" }).click();
  await expect(finalForm.getByRole("status")).toHaveText("Update published.");

  await reader.goto("/status");
  await expect(reader.locator(`[data-component="${COMPONENT}"]`).getByTestId("component-state")).toHaveText("Operational");
  await expect(reader.getByRole("link", { name: HEADLINE })).toBeVisible();
  await reader.goto(publicUrl);
  await expect(reader.getByRole("article", { name: "Resolved update" })).toContainText("This incident is resolved");

  // The public story no longer stands in the way of closing (the checklist still does).
  await page.goto(incidentUrl);
  await expect(page.getByTestId("final-public-update")).toHaveCount(0);
  await status.getByLabel("Move to").selectOption("closed");
  await status.getByRole("button", { name: "Change status" }).click();
  await expect(status).toContainText("post-incident checklist");
  await expect(status).not.toContainText("status page still shows");

  for (const c of [admin, commander]) await c.context.close();
  await anonymous.close();
});
