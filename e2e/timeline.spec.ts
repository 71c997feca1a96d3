import { expect, test } from "@playwright/test";
import { accounts, storageState } from "./fixtures/accounts";

// The command view's timeline beyond its first page: older pages, the filters, the row menu, and
// live entries landing in whatever is shown (the view keeps its own data, incident-store.ts).

test("older pages, person and key-moment filters and the row menu, with live entries arriving meanwhile", async ({ browser }) => {
  const commander = await browser.newContext({ storageState: storageState("commander") });
  const deputy = await browser.newContext({ storageState: storageState("commander2") });
  const responder = await browser.newContext({ storageState: storageState("responder") });
  const created = await commander.request.post("/api/incidents", { data: { title: `Timeline pages ${Date.now()}`, severity: "SEV2" } });
  expect(created.status()).toBe(201);
  const { id, ref } = (await created.json()) as { id: string; ref: string };
  // 51 notes from three people (20 a minute each is the limit), an hour ago, a minute apart: more
  // than the first page's 50.
  const start = Date.now() - 3_600_000;
  const people = [commander, deputy, responder];
  for (let i = 0; i < 51; i++) {
    const response = await people[i % 3].request.post(`/api/incidents/${id}/notes`, { data: { body: `Backfill ${i}`, occurredAt: new Date(start + i * 60_000).toISOString() } });
    expect(response.status()).toBe(201);
  }

  // The notes and what declaring wrote.
  const { events } = (await (await commander.request.get(`/api/incidents/${id}/timeline/facets`)).json()) as { events: number };
  expect(events).toBeGreaterThan(51);

  const other = await responder.newPage();
  await other.goto(`/incidents/${ref}`);
  const page = await commander.newPage();
  await page.goto(`/incidents/${ref}`);
  const timeline = page.getByRole("list", { name: "Timeline events" });
  const filters = page.getByRole("search", { name: "Filter the timeline" });
  await expect(timeline.locator("li[data-seq]")).toHaveCount(50);
  await page.getByRole("button", { name: "Show older entries" }).click();
  await expect(timeline.locator("li[data-seq]")).toHaveCount(events);
  await expect(page.getByText(`Newest first · showing ${events} of ${events} entries`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Show older entries" })).toHaveCount(0);

  // Only the deputy's entries; a live note of theirs comes in, one of the commander's does not.
  await filters.getByLabel("Person").selectOption({ label: accounts.commander2.name });
  await expect(timeline.locator("li[data-seq]")).toHaveCount(17);
  await expect(page.getByText("Newest first · 17 matching")).toBeVisible();
  expect((await deputy.request.post(`/api/incidents/${id}/notes`, { data: { body: "Deputy live note" } })).status()).toBe(201);
  expect((await commander.request.post(`/api/incidents/${id}/notes`, { data: { body: "Commander live note" } })).status()).toBe(201);
  await expect(timeline.getByText("Deputy live note")).toBeVisible();
  await expect(timeline.locator("li[data-seq]")).toHaveCount(18);
  await expect(timeline.getByText("Commander live note")).toHaveCount(0);

  // Everyone again: both live notes are there, on top of the two pages already loaded.
  await filters.getByLabel("Person").selectOption({ label: "Everyone" });
  await expect(timeline.locator("li[data-seq]")).toHaveCount(events + 2);
  await expect(timeline.locator("li[data-seq]").first()).toContainText("Commander live note");

  // The row menu: edit a note, then mark it as a key moment; the key-moment filter finds it.
  const seq = await timeline.locator("li[data-seq]").filter({ hasText: /^.*Backfill 48$/m }).getAttribute("data-seq");
  const row = timeline.locator(`li[data-seq="${seq}"]`);
  await row.getByRole("button", { name: "Actions for the note entry" }).click();
  await page.getByRole("menuitem", { name: "Edit note" }).click();
  await row.getByLabel("Note text").fill("Backfill 48, corrected");
  await row.getByRole("button", { name: "Save note" }).click();
  await expect(row).toContainText("Backfill 48, corrected");
  await expect(row).toContainText(`edited by ${accounts.commander.name}`);
  await row.getByRole("button", { name: "Actions for the note entry" }).focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: "Edit note" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: "Mark as key moment…" })).toBeFocused();
  await page.keyboard.press("Enter");
  await row.getByLabel("Key moment", { exact: true }).selectOption({ label: "Mitigated" });
  await row.getByRole("button", { name: "Mark", exact: true }).click();
  await expect(row).toContainText("★ Mitigated");
  await filters.getByLabel("Show").selectOption({ label: "Key moments only" });
  await expect(timeline.locator("li[data-seq]")).toHaveCount(1);
  await expect(timeline).toContainText("Backfill 48, corrected");

  // Someone else's view of the same incident, open all along, has followed the edit and the mark.
  await expect(other.locator(`#event-${seq}`)).toContainText("Backfill 48, corrected");
  await expect(other.locator(`#event-${seq}`)).toContainText("★ Mitigated");

  for (const context of people) await context.close();
});
