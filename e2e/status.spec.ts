import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, accounts, storageState, type AccountKey } from "./fixtures/accounts";
import { declareThroughForm } from "./fixtures/incidents";

// Issue 8: a SEV1 with internal notes, evidence and a runbook step run on the host agent; the comms
// lead publishes two updates; an anonymous browser sees them and the component's state, and
// nothing internal. Resolving publishes the resolved state and today's uptime bar keeps the outage.
// Against a real build, database, reference environment and agent.

const stamp = Date.now().toString(36);
const INTERNAL_TITLE = `Checkout wedged on db-primary-07 ${stamp}`;
const HOST = "db-primary-07.corp.internal";
const COMMAND = "scripts/rollback.sh --release rel-41";
const NOTE = `Suspect connection pool on ${HOST}; next step: ssh deploy@${HOST} then ${COMMAND}`;
const COMPONENT = `Checkout ${stamp}`;
const HEADLINE = `Checkout problems ${stamp}`;
const FIRST = "Some customers cannot complete checkout. We are investigating.";
const SECOND = "We found the cause and are rolling out a fix. Checkout works for most customers.";
const FINAL = "Checkout works normally again for everyone.";
const PROBE_TITLE = `Checkout probe ${stamp}`;
const PROBE_SLUG = `checkout-probe-${stamp}`;
const PROBE_COMMAND = "./scripts/runtime-health-check.sh";
const PROBE_RUNBOOK = `# ${PROBE_TITLE}\n\n**Owner:** Storefront on-call\n\n## Check the runtime first\n\nConfirm the runtime answers before touching checkout.\n\n\`\`\`bash\n${PROBE_COMMAND}\n\`\`\`\n`;

async function openAs(browser: Browser, who: AccountKey | "admin") {
  const context = await browser.newContext({ storageState: storageState(who) });
  return { context, page: await context.newPage() };
}

async function publish(page: Page, status: string, message: string, state: string | null) {
  const form = page.getByRole("form", { name: "Public update" });
  const label = status[0].toUpperCase() + status.slice(1);
  await form.getByLabel("Public headline").fill(HEADLINE);
  await form.getByLabel("Status", { exact: true }).selectOption(status);
  await form.getByLabel("Message for stakeholders").fill(message);
  if (state) await form.getByLabel(new RegExp(`^${COMPONENT}`)).selectOption(state);
  await form.getByRole("button", { name: "Publish update" }).click();
  await expect(form.getByRole("status")).toHaveText("Update published.");
  await expect(page.getByRole("listitem", { name: `Published update: ${label}` })).toBeVisible();
}

/** Filled in as the incident gathers internal detail: evidence hashes, the reference environment's address. */
const internalDetail: string[] = [];

function expectNothingInternal(text: string) {
  const secrets = [NOTE, HOST, "db-primary-07", COMMAND, "rollback.sh", INTERNAL_TITLE, PROBE_TITLE, PROBE_SLUG, PROBE_COMMAND, "runtime-health-check", "Ran step", accounts.commander.name, accounts.responder.name, accounts.commander.email, accounts.responder.email, ADMIN.email];
  for (const secret of [...secrets, ...internalDetail]) {
    expect(text, `public output contains "${secret}"`).not.toContain(secret);
  }
}

test("SEV1 with notes, evidence and a step run: comms lead publishes two updates; anonymous readers see them and nothing internal; resolving shows in history", async ({ browser }) => {
  // An admin puts a component on the page.
  const admin = await openAs(browser, "admin");
  await admin.page.goto("/status-admin");
  const add = admin.page.getByRole("form", { name: "Add component" });
  await add.getByLabel("Public name").fill(COMPONENT);
  await add.getByLabel("Group").fill("Storefront");
  await add.getByRole("button", { name: "Add component" }).click();
  await expect(admin.page.getByRole("cell", { name: `${COMPONENT} Storefront` })).toBeVisible();

  // The commander declares a SEV1, writes an internal note and makes the responder comms lead.
  const commander = await openAs(browser, "commander");
  const incidentUrl = await declareThroughForm(commander.page, { title: INTERNAL_TITLE, severity: "SEV1", surfaces: "checkout" });
  await commander.page.getByLabel("Note", { exact: true }).fill(NOTE);
  await commander.page.getByRole("button", { name: "Add note" }).click();
  await expect(commander.page.getByRole("list", { name: "Timeline events" }).getByText(HOST, { exact: false }).first()).toBeVisible();
  // Evidence from the reference environment, kept with the incident.
  await commander.page.getByRole("form", { name: "Capture evidence" }).getByRole("button", { name: "Capture evidence" }).click();
  const evidence = commander.page.getByTestId("evidence-table").locator("tbody tr");
  await expect(evidence.first()).toBeVisible({ timeout: 20_000 });
  for (const cell of await commander.page.getByTestId("evidence-table").locator("tbody td.font-mono").allTextContents()) {
    if (cell.length > 8) internalDetail.push(cell.replace("…", ""));
  }
  expect(internalDetail.length).toBeGreaterThan(0);
  const environment = await (await commander.page.request.get("/environments/reference/health/state")).json();
  const surfaceUrls = JSON.stringify(environment).match(/http:\/\/127\.0\.0\.1:\d+/g) ?? [];
  internalDetail.push(...new Set(surfaceUrls));
  expect(surfaceUrls.length).toBeGreaterThan(0);

  // A runbook step run on the host agent, from the runbook page.
  await commander.page.goto("/runbooks");
  await commander.page.getByLabel("Markdown files").setInputFiles({ name: `${PROBE_SLUG}.md`, mimeType: "text/markdown", buffer: Buffer.from(PROBE_RUNBOOK) });
  await commander.page.getByRole("button", { name: "Import" }).click();
  await expect(commander.page.getByRole("list", { name: "Import results" }).getByRole("link", { name: PROBE_TITLE })).toBeVisible();
  // From the incident page to the runbook, which then records the run on the incident.
  await commander.page.goto(incidentUrl);
  const incidentRef = incidentUrl.split("/").pop()!;
  const finder = commander.page.getByRole("search", { name: `Find a runbook for ${incidentRef}` });
  await finder.getByLabel("Runbook").fill(PROBE_TITLE);
  await finder.getByRole("button", { name: "Find runbook" }).click();
  await commander.page.getByRole("link", { name: PROBE_TITLE }).click();
  await expect(commander.page.getByTestId("run-for-incident")).toContainText(`Opened for ${incidentRef}`);
  const step = commander.page.getByTestId("step-card").first();
  await step.getByRole("button", { name: "Run step 1", exact: true }).click();
  const runForm = step.getByRole("form", { name: "Run step 1" });
  await expect(runForm.getByLabel("For incident")).toHaveValue(/[0-9a-f-]{36}/);
  await runForm.getByRole("button", { name: "Start step 1" }).click();
  const execution = step.getByRole("region", { name: "Execution of step 1" });
  await expect(execution.getByRole("log", { name: "Output of step 1" })).toContainText(`$ ${PROBE_COMMAND}`, { timeout: 20_000 });
  await expect(execution.getByRole("status")).toContainText("Succeeded", { timeout: 20_000 });
  await commander.page.goto(incidentUrl);
  const timeline = commander.page.getByRole("list", { name: "Timeline events" });
  await expect(timeline.getByText(/^Ran step “.+” of checkout-probe-/)).toBeVisible();
  await expect(timeline.getByText(/^Step “.+” of checkout-probe-.+ succeeded \(exit 0\)/)).toBeVisible();

  const assign = commander.page.getByRole("form", { name: "Assign role" });
  await assign.getByLabel("Role").selectOption("comms");
  await assign.getByLabel("Person").selectOption({ label: accounts.responder.name });
  await assign.getByRole("button", { name: "Assign" }).click();
  await expect(commander.page.getByRole("list", { name: "Timeline events" }).getByText(`${accounts.responder.name} is comms lead`)).toBeVisible();

  // The comms lead sees the reminder and publishes two updates from the incident page.
  const comms = await openAs(browser, "responder");
  await comms.page.goto(incidentUrl);
  await comms.page.getByRole("tab", { name: "Public updates" }).click();
  const panel = comms.page.getByRole("region", { name: "Public updates" });
  await expect(panel.getByTestId("next-update-due")).toContainText("every 30 min for SEV1");
  await expect(panel.getByTestId("next-update-due")).toContainText("That is yours to write.");
  await publish(comms.page, "investigating", FIRST, "major_outage");
  await publish(comms.page, "identified", SECOND, "partial_outage");
  // The commander's timeline shows the publications.
  await expect(commander.page.getByRole("list", { name: "Timeline events" }).getByText(/Public update published \(identified\)/)).toBeVisible();

  // An anonymous browser.
  const anonymous = await browser.newContext();
  const reader = await anonymous.newPage();
  const response = await reader.goto("/status");
  expect(response?.status()).toBe(200);
  await expect(reader.getByTestId("page-state")).toHaveText("Partial outage");
  const incident = reader.getByRole("region", { name: `Incident: ${HEADLINE}` });
  await expect(incident.getByText(FIRST)).toBeVisible();
  await expect(incident.getByText(SECOND)).toBeVisible();
  const component = reader.locator(`[data-component="${COMPONENT}"]`);
  await expect(component.getByTestId("component-state")).toHaveText("Partial outage");
  expectNothingInternal(await reader.content());

  const json = await anonymous.request.get("/status.json");
  expect(json.status()).toBe(200);
  const jsonText = await json.text();
  expectNothingInternal(jsonText);
  const summary = JSON.parse(jsonText) as {
    page: { state: string };
    components: { name: string; state: string }[];
    activeIncidents: { title: string; status: string; url: string; updates: { message: string }[] }[];
  };
  expect(summary.page.state).toBe("partial_outage");
  expect(summary.components.find((c) => c.name === COMPONENT)?.state).toBe("partial_outage");
  const active = summary.activeIncidents.find((i) => i.title === HEADLINE)!;
  expect(active.status).toBe("identified");
  expect(active.updates.map((u) => u.message)).toEqual([SECOND, FIRST]);

  await reader.goto(active.url);
  await expect(reader.getByRole("heading", { level: 1, name: HEADLINE })).toBeVisible();
  expectNothingInternal(await reader.content());
  const atom = await anonymous.request.get("/status/feed.atom");
  expect(atom.headers()["content-type"]).toContain("application/atom+xml");
  const atomText = await atom.text();
  expect(atomText).toContain(FIRST);
  expectNothingInternal(atomText);

  // Resolving publishes the resolved state; today's bar keeps the outage.
  await publish(comms.page, "resolved", FINAL, null);
  await reader.goto("/status");
  await expect(reader.getByTestId("page-state")).toHaveText("All systems operational");
  await expect(component.getByTestId("component-state")).toHaveText("Operational");
  await expect(component.locator(".bar").last()).toHaveAttribute("data-state", "major_outage");
  await expect(reader.getByRole("link", { name: HEADLINE })).toBeVisible();
  const after = (await (await anonymous.request.get("/status.json")).json()) as { activeIncidents: unknown[]; components: { name: string; state: string }[] };
  // Other specs on the same server may leave their own public incidents open.
  expect((after.activeIncidents as { title: string }[]).filter((i) => i.title === HEADLINE)).toHaveLength(0);
  expect(after.components.find((c) => c.name === COMPONENT)?.state).toBe("operational");

  // An admin can require sign-in; then anonymous readers are sent to sign in, a viewer gets in.
  await admin.page.goto("/status-admin");
  const settings = admin.page.getByRole("form", { name: "Status page settings" });
  await settings.getByLabel(/Require sign-in/).check();
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Settings saved.");
  await reader.goto("/status");
  await expect(reader).toHaveURL(/\/sign-in/);
  expect((await anonymous.request.get("/status.json")).status()).toBe(401);
  const viewer = await openAs(browser, "viewer");
  await viewer.page.goto("/status");
  await expect(viewer.page.getByTestId("page-state")).toHaveText("All systems operational");
  await admin.page.goto("/status-admin");
  await settings.getByLabel(/Require sign-in/).uncheck();
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Settings saved.");
  expect((await anonymous.request.get("/status.json")).status()).toBe(200);

  for (const c of [admin, commander, comms, viewer]) await c.context.close();
  await anonymous.close();
});

test("a viewer cannot open the status admin page", async ({ browser }) => {
  const viewer = await openAs(browser, "viewer");
  await viewer.page.goto("/status-admin");
  await expect(viewer.page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await viewer.context.close();
});
