import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { storageState, accounts } from "./fixtures/accounts";
import { declareThroughForm } from "./fixtures/incidents";

// Two people in two browsers: a commander and a responder, against a real build and database.

async function openAs(browser: Browser, who: "commander" | "responder") {
  const context = await browser.newContext({ storageState: storageState(who) });
  return { context, page: await context.newPage() };
}

function cookieHeader(who: "commander" | "responder") {
  const state = JSON.parse(fs.readFileSync(storageState(who), "utf8")) as { cookies: { name: string; value: string }[] };
  return state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

async function incidentIdOf(page: Page): Promise<{ id: string; version: number; ref: string }> {
  const ref = page.url().split("/").pop()!;
  const response = await page.request.get(`/api/incidents/${ref}`);
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { incident: { id: string; version: number; ref: string } };
  return body.incident;
}

test("declare, live list, live notes, hand-over, and a refused illegal transition", async ({ browser }) => {
  const commander = await openAs(browser, "commander");
  const responder = await openAs(browser, "responder");
  const title = `Checkout API failing ${Date.now()}`;

  await responder.page.goto("/incidents");
  await expect(responder.page.getByRole("status").filter({ hasText: /^Live$/ })).toBeVisible();

  await commander.page.goto("/");
  await commander.page.getByRole("link", { name: "Declare incident" }).click();
  const form = commander.page.getByRole("form", { name: "Declare incident" });
  await form.getByLabel("Title").fill(title);
  await form.getByRole("radio", { name: /SEV1/ }).check();
  await expect(form.getByText(/core capability is down/)).toBeVisible();
  await form.getByLabel("Affected surfaces").fill("execution API, worker loop");
  await form.getByRole("button", { name: "Declare" }).click();
  // A SEV1 asks for confirmation first; nothing is declared until then.
  await expect(form.getByRole("alert")).toContainText("Declare a SEV1?");
  await expect(commander.page).toHaveURL(/\/incidents\/new$/);
  await form.getByRole("button", { name: "Yes, declare SEV1" }).click();
  await expect(commander.page).toHaveURL(/\/incidents\/INC-\d+$/);
  await expect(commander.page.getByRole("heading", { name: title })).toBeVisible();
  await expect(commander.page.getByTestId("incident-commander")).toHaveText(accounts.commander.name);
  await expect(commander.page.getByRole("status").filter({ hasText: /^Live$/ })).toBeVisible();

  // The responder's open list shows it without a reload, as a SEV1.
  const row = responder.page.getByRole("row").filter({ hasText: title });
  await expect(row).toBeVisible({ timeout: 5000 });
  await expect(row.getByText("SEV1")).toBeVisible();

  // The responder adds a note; the commander sees it within a second.
  await row.getByRole("link", { name: title }).click();
  await expect(responder.page.getByRole("status").filter({ hasText: /^Live$/ })).toBeVisible();
  const note = `Error rate at 40% on checkout ${Date.now()}`;
  await responder.page.getByLabel("Note", { exact: true }).fill(note);
  await responder.page.getByRole("button", { name: "Add note" }).click();
  await expect(responder.page.getByRole("list", { name: "Timeline events" }).getByText(note)).toBeVisible();
  await expect(commander.page.getByRole("list", { name: "Timeline events" }).getByText(note)).toBeVisible({ timeout: 1000 });

  // Hand over command; the history keeps both holders and the responder sees the change live.
  const handOver = commander.page.getByRole("form", { name: "Hand over command" });
  await handOver.getByLabel("New commander").selectOption({ label: `${accounts.commander2.name} · commander` });
  await handOver.getByRole("button", { name: "Hand over command" }).click();
  await expect(commander.page.getByTestId("incident-commander")).toHaveText(accounts.commander2.name);
  await expect(responder.page.getByTestId("incident-commander")).toHaveText(accounts.commander2.name);
  await commander.page.getByText(/Role history/).click();
  const history = commander.page.getByRole("table", { name: "Role history" });
  await expect(history.getByRole("row").filter({ hasText: accounts.commander.name }).filter({ hasText: "Commander" })).toBeVisible();
  await expect(history.getByRole("row").filter({ hasText: accounts.commander2.name }).filter({ hasText: "now" })).toBeVisible();

  // triage → closed posted straight to the server is refused; so is a responder changing status.
  const incident = await incidentIdOf(commander.page);
  const illegal = await commander.page.request.post(`/api/incidents/${incident.id}/status`, {
    data: { version: incident.version, to: "closed" },
  });
  expect(illegal.status()).toBe(400);
  expect(((await illegal.json()) as { error: string }).error).toMatch(/resolved incident can be closed/);
  const byResponder = await responder.page.request.post(`/api/incidents/${incident.id}/status`, {
    data: { version: incident.version, to: "investigating" },
  });
  expect(byResponder.status()).toBe(403);
  expect((await incidentIdOf(commander.page)).version).toBe(incident.version);
  await expect(commander.page.getByTestId("incident-status")).toHaveText("Triage");

  // Two writers with the same version: one wins, the other gets 409 with the current state.
  const [a, b] = await Promise.all(
    (["investigating", "identified"] as const).map((to) =>
      commander.page.request.post(`/api/incidents/${incident.id}/status`, { data: { version: incident.version, to } }),
    ),
  );
  expect([a.status(), b.status()].sort()).toEqual([200, 409]);
  const loser = a.status() === 409 ? a : b;
  const winner = (await (a.status() === 200 ? a : b).json()) as { status: string; version: number };
  expect(((await loser.json()) as { current: { status: string; version: number } }).current).toMatchObject({ status: winner.status, version: winner.version });
  await expect(responder.page.getByTestId("incident-status")).toHaveText(winner.status === "investigating" ? "Investigating" : "Identified");
  const statusEvents = commander.page.getByRole("list", { name: "Timeline events" }).locator('[data-kind="status.changed"]');
  await expect(statusEvents).toHaveCount(1);

  await commander.context.close();
  await responder.context.close();
});

test("a viewer reads an incident but cannot write to it", async ({ browser }) => {
  const commander = await openAs(browser, "commander");
  const created = await commander.page.request.post("/api/incidents", { data: { title: `Viewer check ${Date.now()}`, severity: "SEV2" } });
  const incident = (await created.json()) as { id: string; ref: string; version: number };
  const viewerContext = await browser.newContext({ storageState: storageState("viewer") });
  const viewer = await viewerContext.newPage();
  await viewer.goto(`/incidents/${incident.ref}`);
  await expect(viewer.getByRole("heading", { name: /Viewer check/ })).toBeVisible();
  await expect(viewer.getByRole("form", { name: "Add note" })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Declare incident" })).toHaveCount(0);
  expect((await viewer.request.post(`/api/incidents/${incident.id}/notes`, { data: { body: "hi" } })).status()).toBe(403);
  expect((await viewer.request.post(`/api/incidents/${incident.id}/status`, { data: { version: incident.version, to: "investigating" } })).status()).toBe(403);

  // With the live stream unreachable the page says so, and once it is back it catches up.
  await viewer.route("**/api/live/**", (route) => route.abort());
  await viewer.reload();
  await expect(viewer.getByRole("status").filter({ hasText: /Live updates interrupted/ })).toBeVisible({ timeout: 15_000 });
  await commander.page.request.post(`/api/incidents/${incident.id}/notes`, { data: { body: "written while the viewer was cut off" } });
  await viewer.unroute("**/api/live/**");
  await expect(viewer.getByRole("status").filter({ hasText: /^Live$/ })).toBeVisible({ timeout: 15_000 });
  await expect(viewer.getByText("written while the viewer was cut off")).toBeVisible();
  await viewerContext.close();
  await commander.context.close();
});

test("the live stream resumes after a drop with every missed event exactly once", async ({ browser, baseURL }) => {
  const commander = await openAs(browser, "commander");
  const created = await commander.page.request.post("/api/incidents", { data: { title: `Stream resume check ${Date.now()}`, severity: "SEV3" } });
  expect(created.status()).toBe(201);
  let incident = (await created.json()) as { id: string; version: number };
  const headers = { cookie: cookieHeader("commander"), accept: "text/event-stream" };
  const url = `${baseURL}/api/live/incidents?incident=${incident.id}`;

  const readFrames = async (response: Response, count: number, extraWaitMs: number) => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const frames: { id: string; data: { kind: string; seq: number } }[] = [];
    const deadline = Date.now() + 10_000;
    let settleUntil = Infinity;
    // One read in flight at a time: a read abandoned to a timeout would swallow its chunk.
    let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
    while (Date.now() < Math.min(deadline, settleUntil)) {
      pending ??= reader.read();
      const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
      if (chunk) pending = null;
      if (chunk && !chunk.done) text += decoder.decode(chunk.value, { stream: true });
      for (let cut = text.indexOf("\n\n"); cut >= 0; cut = text.indexOf("\n\n")) {
        const block = text.slice(0, cut);
        text = text.slice(cut + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data) frames.push({ id, data: JSON.parse(data) });
      }
      if (frames.length >= count && settleUntil === Infinity) settleUntil = Date.now() + extraWaitMs;
      if (chunk?.done) break;
    }
    await reader.cancel().catch(() => {});
    return frames;
  };

  // First connection: see one live event, then drop it.
  const first = new AbortController();
  const firstResponse = await fetch(url, { headers, signal: first.signal });
  expect(firstResponse.headers.get("content-type")).toContain("text/event-stream");
  const firstFrames = readFrames(firstResponse, 1, 0);
  await new Promise((r) => setTimeout(r, 300));
  await commander.page.request.post(`/api/incidents/${incident.id}/notes`, { data: { body: "before the drop" } });
  const seen = await firstFrames;
  expect(seen.map((f) => f.data.kind)).toEqual(["note"]);
  first.abort();
  const lastEventId = seen[0].id;

  // Three changes while disconnected.
  const status = await commander.page.request.post(`/api/incidents/${incident.id}/status`, { data: { version: incident.version, to: "investigating" } });
  expect(status.ok()).toBe(true);
  incident = (await status.json()) as { id: string; version: number };
  await commander.page.request.post(`/api/incidents/${incident.id}/notes`, { data: { body: "missed one" } });
  await commander.page.request.post(`/api/incidents/${incident.id}/notes`, { data: { body: "missed two" } });

  // Reconnect with Last-Event-ID: exactly the three, in order, nothing twice.
  const again = await fetch(url, { headers: { ...headers, "last-event-id": lastEventId } });
  const frames = await readFrames(again, 3, 800);
  expect(frames.map((f) => f.data.kind)).toEqual(["status.changed", "note", "note"]);
  const ids = frames.map((f) => Number(f.id));
  expect(new Set(ids).size).toBe(3);
  expect(ids.every((id) => id > Number(lastEventId))).toBe(true);

  // Without a session the stream is refused.
  const anonymous = await fetch(url, { redirect: "manual" });
  expect([302, 303, 307, 401]).toContain(anonymous.status);
  await commander.context.close();
});

test("a change made on a stale page is refused with the state that won, and the page catches up", async ({ browser }) => {
  const commander = await openAs(browser, "commander");
  // A second manager of the incident (an admin), in another browser.
  const otherContext = await browser.newContext({ storageState: storageState("admin") });
  const responder = { context: otherContext, page: await otherContext.newPage() };
  const title = `Stale page conflict ${Date.now()}`;
  const incidentUrl = await declareThroughForm(commander.page, { title, severity: "SEV2", surfaces: "billing" });

  // The admin's page loses its live connection (a flaky network at night): it stays stale.
  await responder.page.route("**/api/live/**", (route) => route.abort());
  await responder.page.goto(incidentUrl);
  const staleSeverity = responder.page.getByRole("form", { name: "Change severity" });
  await expect(staleSeverity.getByLabel("Severity")).toHaveValue("SEV2");

  // The commander raises it to SEV1 meanwhile.
  const severity = commander.page.getByRole("form", { name: "Change severity" });
  await severity.getByLabel("Severity").selectOption("SEV1");
  await severity.getByRole("button", { name: "Change severity" }).click();
  await expect(commander.page.getByRole("list", { name: "Timeline events" }).getByText(/SEV2 → SEV1/)).toBeVisible();

  // The admin, still looking at SEV2, asks for SEV3 with a reason: refused, told what won.
  await staleSeverity.getByLabel("Severity").selectOption("SEV3");
  await staleSeverity.getByLabel(/Reason/).fill("Only one tenant is affected");
  await staleSeverity.getByRole("button", { name: "Change severity" }).click();
  const alert = responder.page.getByRole("alert").filter({ hasText: "Someone changed this incident meanwhile" });
  await expect(alert).toContainText("it is now triage, SEV1");
  await expect(alert.getByTestId("conflict-current")).toContainText("Current state: triage, SEV1");
  // Nothing of the refused change was written, and the page now shows the state that won.
  await expect(responder.page.getByRole("list", { name: "Timeline events" }).getByText(/SEV2 → SEV1/)).toBeVisible();
  await expect(responder.page.getByRole("list", { name: "Timeline events" }).getByText(/→ SEV3/)).toHaveCount(0);

  await commander.context.close();
  await responder.context.close();
});
