import { expect, test, type Browser } from "@playwright/test";
import { accounts, storageState, type AccountKey } from "./fixtures/accounts";
import { expectNoSidewaysScroll, shortcutsReady } from "./fixtures/pages";

// The SEV1 command view, on a desktop and on a 390×844 phone (see playwright.config.ts): the person
// on call declares, the commander runs the incident from the keyboard, command changes hands.

const ORDER = ["triage", "investigating", "identified", "mitigating", "monitoring", "resolved", "closed"];

async function openAs(browser: Browser, who: AccountKey, project: { use: { viewport?: { width: number; height: number } | null; isMobile?: boolean; hasTouch?: boolean } }) {
  const { viewport, isMobile, hasTouch } = project.use;
  const context = await browser.newContext({ storageState: storageState(who), viewport: viewport ?? undefined, isMobile, hasTouch });
  return { context, page: await context.newPage() };
}

test("a responder declares a SEV2 with d; the commander acknowledges and takes it to Resolved with the keyboard alone", async ({ browser }, info) => {
  const responder = await openAs(browser, "responder", info.project);
  const commander = await openAs(browser, "commander", info.project);
  const title = `Card payments declined ${Date.now()}`;

  // The responder notices first: `d` opens the declare form anywhere in the console.
  await responder.page.goto("/");
  await expect(responder.page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await shortcutsReady(responder.page);
  await responder.page.keyboard.press("d");
  await expect(responder.page).toHaveURL(/\/incidents\/new$/);
  const form = responder.page.getByRole("form", { name: "Declare incident" });
  await expect(form.getByText("An important capability is degraded")).toBeVisible();
  await form.getByLabel("Title").fill(title);
  await expect(form.getByRole("radio", { name: /SEV2/ })).toBeChecked();
  await form.getByLabel("Commander", { exact: true }).selectOption({ label: `${accounts.commander.name} · commander` });
  await form.getByRole("button", { name: "Declare" }).click();
  await expect(responder.page).toHaveURL(/\/incidents\/INC-\d+$/);
  const url = responder.page.url();
  await expect(responder.page.getByRole("region", { name: "Command hand-over" })).toContainText(`Waiting for ${accounts.commander.name}`);
  await expectNoSidewaysScroll(responder.page);

  // The commander's Overview says what is on fire and that command waits for them.
  const page = commander.page;
  await page.goto("/");
  const ref = url.split("/").pop()!;
  await expect(page.getByRole("region", { name: /Open incidents/ }).getByTestId("overview-incident").filter({ hasText: ref })).toContainText(/open for \d/);
  const mine = page.getByRole("region", { name: /My assignments/ });
  await expect(mine.getByText(title)).toBeVisible();
  await expect(mine.getByRole("link", { name: "acknowledge command" })).toBeVisible();

  // Keys only from here.
  await page.goto(url);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByRole("region", { name: "Command hand-over" })).toContainText("You have been given command");
  await shortcutsReady(page);
  await page.keyboard.press("a");
  await expect(page.getByRole("region", { name: "Command hand-over" })).toHaveCount(0);
  await expect(responder.page.getByRole("region", { name: "Command hand-over" })).toHaveCount(0);

  const select = page.getByRole("form", { name: "Change status" }).getByLabel("Move to");
  for (let step = 1; ORDER[step] !== "closed"; step++) {
    await page.keyboard.press("s");
    await expect(select).toBeFocused();
    // The next stage is chosen, and nothing behind the current one is even offered.
    await expect(select).toHaveValue(ORDER[step]);
    const offered = await select.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered.every((s) => ORDER.indexOf(s) >= step)).toBe(true);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("incident-status")).toHaveText(new RegExp(`^${ORDER[step]}$`, "i"));
    await expect(responder.page.getByTestId("incident-status")).toHaveText(new RegExp(`^${ORDER[step]}$`, "i"));
  }
  // Resolved: still no backward move offered; reopening is its own, confirmed action.
  await page.keyboard.press("s");
  await expect(select).toHaveValue("closed");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Reopen…" })).toBeVisible();

  // n writes a note (Ctrl+Enter adds it), / searches the timeline, u opens the public updates, ? lists the keys.
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("n");
  await expect(page.getByLabel("Note", { exact: true })).toBeFocused();
  await page.keyboard.type("Payments back to normal; <script>kept</script> as text");
  await page.keyboard.press("Control+Enter");
  const timeline = page.getByRole("list", { name: "Timeline events" });
  await expect(timeline.getByText("<script>kept</script> as text", { exact: false })).toBeVisible();
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("/");
  await expect(page.getByLabel("Search", { exact: true })).toBeFocused();
  await page.keyboard.type("back to normal");
  await expect(timeline.locator("li")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("u");
  await expect(page.getByRole("tab", { name: "Public updates" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("Public headline")).toBeFocused();
  await page.keyboard.press("Escape");
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toContainText("Change status");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);
  await expectNoSidewaysScroll(page);

  // The timeline speaks in words: status changes, no raw event names.
  await page.getByRole("tab", { name: "Command" }).click();
  await page.getByLabel("Search", { exact: true }).fill("");
  await expect(timeline.locator('[data-kind="status.changed"]')).toHaveCount(5);
  await expect(timeline).not.toContainText("status.changed");
  await expect(page.getByLabel("Show", { exact: true }).locator("option", { hasText: "Status changed" })).toHaveCount(1);

  await responder.context.close();
  await commander.context.close();
});

test("hand-over with a note, acknowledged by the new commander, both on the timeline", async ({ browser }, info) => {
  const commander = await openAs(browser, "commander", info.project);
  const deputy = await openAs(browser, "commander2", info.project);
  const created = await commander.page.request.post("/api/incidents", { data: { title: `Hand-over check ${Date.now()}`, severity: "SEV1" } });
  expect(created.status()).toBe(201);
  const { ref } = (await created.json()) as { ref: string };
  await commander.page.goto(`/incidents/${ref}`);
  await deputy.page.goto(`/incidents/${ref}`);

  const handOver = commander.page.getByRole("form", { name: "Hand over command" });
  await handOver.getByLabel("New commander").selectOption({ label: `${accounts.commander2.name} · commander` });
  await handOver.getByLabel("Hand-over note").fill("Rollback of release 42 half done; watch queue depth");
  await handOver.getByRole("button", { name: "Hand over command" }).click();
  await expect(commander.page.getByTestId("incident-commander")).toHaveText(accounts.commander2.name);

  const banner = deputy.page.getByRole("region", { name: "Command hand-over" });
  await expect(banner).toContainText("You have been given command");
  await expect(banner).toContainText("Rollback of release 42 half done; watch queue depth");
  await banner.getByRole("button", { name: /Acknowledge command/ }).click();
  await expect(banner).toHaveCount(0);

  for (const page of [commander.page, deputy.page]) {
    const timeline = page.getByRole("list", { name: "Timeline events" });
    await expect(timeline.locator('[data-kind="command.handed_over"]')).toContainText("Command handed over");
    await expect(timeline.locator('[data-kind="command.handed_over"]')).toContainText("watch queue depth");
    await expect(timeline.locator('[data-kind="command.acknowledged"]')).toContainText(`${accounts.commander2.name} acknowledged command`);
  }
  await commander.context.close();
  await deputy.context.close();
});
