import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, PASSWORD, accounts } from "./fixtures/accounts";
import { signIn } from "./fixtures/session";

// Issue 5: a responder runs seed 000's readiness step (host agent) and a control-API step from the
// runbook page and watches the output arrive; the execution is stored. A viewer has no run button
// and a direct POST is refused. A control API that is not running gives a clear error in the page.
// Seed 000 is imported under its own title so the runbook library's own e2e still sees the seeds new.
const seeds = path.resolve(process.cwd(), "../shared/seeds");
const seed000 = fs.readFileSync(path.join(seeds, fs.readdirSync(seeds).find((f) => f.startsWith("000_"))!), "utf8");
const TITLE = "Environments e2e copy of the operator incident runbook";
const SLUG = "environments-e2e-copy-of-the-operator-incident-runbook";
const markdown = seed000.replace(/^# .*$/m, `# ${TITLE}`);

test.describe.configure({ mode: "serial" });
// Each test signs in afresh: the setup project signs the admin out after saving its state, and
// the saved states in e2e/.auth are shared with other runs on the same machine.

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const card = (page: Page, ordinal: number) => page.getByTestId("step-card").filter({ has: page.getByRole("heading", { name: new RegExp(`^Step ${ordinal}:`) }) });

async function runStep(page: Page, ordinal: number, environment?: string) {
  const c = card(page, ordinal);
  await c.getByRole("button", { name: `Run step ${ordinal}`, exact: true }).click();
  const form = c.getByRole("form", { name: `Run step ${ordinal}` });
  if (environment) await form.getByLabel("Environment").selectOption({ label: environment });
  await form.getByRole("button", { name: `Start step ${ordinal}` }).click();
  return c.getByRole("region", { name: `Execution of step ${ordinal}` });
}

test.describe("admin", () => {
  test.beforeEach(async ({ page }) => signIn(page, ADMIN.email, ADMIN.password));

  test("imports a copy of seed 000 and adds an environment whose control API is not running", async ({ page }) => {
    await page.goto("/runbooks");
    await page.getByLabel("Markdown files").setInputFiles({ name: `${SLUG}.md`, mimeType: "text/markdown", buffer: Buffer.from(markdown) });
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByRole("list", { name: "Import results" }).getByRole("link", { name: TITLE })).toBeVisible();

    const port = await closedPort();
    await page.goto("/environments");
    await expect(page.getByRole("link", { name: "reference" })).toBeVisible();
    const form = page.getByRole("form", { name: "Create environment" });
    await form.getByLabel("Name").fill("stopped-control");
    await form.getByLabel("Kind").selectOption("drill");
    await form.getByLabel("Control API base URL").fill(`http://127.0.0.1:${port}`);
    await form.getByLabel("Runtime API base URL").fill(`http://127.0.0.1:${port}`);
    await form.getByRole("button", { name: "Create environment" }).click();
    await expect(page.getByRole("link", { name: "stopped-control" })).toBeVisible();
  });

  test("sees a surface go down on the health board after flipping its fault switch", async ({ page }) => {
    await page.goto("/environments/reference/health");
    await expect(page.getByRole("status").filter({ hasText: /All \d+ surfaces up/ })).toBeVisible({ timeout: 20_000 });
    await page.goto("/environments/reference");
    await page.getByLabel("Failing health check on").selectOption({ label: "Worker" });
    await page.getByRole("button", { name: "Set health check" }).click();
    await expect(page.getByText("Failing health checks: Worker")).toBeVisible();
    await page.goto("/environments/reference/health");
    const worker = page.getByTestId("surface-row").filter({ hasText: "Worker" });
    // One server poll (5 s) plus one page refresh (2 s).
    await expect(worker.getByTestId("surface-state")).toHaveText("down", { timeout: 12_000 });
    await expect(page.getByRole("status").filter({ hasText: /surfaces down: Worker/ })).toBeVisible();
    await page.goto("/environments/reference");
    await page.getByRole("button", { name: "Clear all faults" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Fault switch flipped." })).toBeVisible();
  });
});

test.describe("responder", () => {
  test.beforeEach(async ({ page }) => signIn(page, accounts.responder.email, PASSWORD));

  test("runs the readiness step on the host agent and sees the stored execution", async ({ page }) => {
    await page.goto(`/runbooks/${SLUG}`);
    const execution = await runStep(page, 1);
    const output = execution.getByRole("log", { name: "Output of step 1" });
    await expect(output).toContainText("$ ./scripts/runtime-health-check.sh", { timeout: 20_000 });
    await expect(output).toContainText("$ ./scripts/preview-slots-health-check.sh", { timeout: 20_000 });
    await expect(execution.getByRole("status")).toContainText("Succeeded", { timeout: 20_000 });
    await expect(execution.getByRole("status")).toContainText("exit 0");

    await execution.getByRole("link", { name: "Stored execution" }).click();
    await expect(page.getByTestId("stored-state")).toContainText("succeeded");
    await expect(page.getByRole("main").getByText(accounts.responder.email, { exact: true })).toBeVisible();
    await expect(page.getByTestId("what-ran")).toContainText("./scripts/runtime-health-check.sh");
    await expect(page.getByLabel("Stored output")).toContainText("exit 0");
  });

  test("runs the worker-timeout step through the control API and captures RUN_ID", async ({ page }) => {
    await page.goto(`/runbooks/${SLUG}`);
    const execution = await runStep(page, 2);
    const output = execution.getByRole("log", { name: "Output of step 2" });
    await expect(output).toContainText("HTTP 201", { timeout: 20_000 });
    await expect(output).toContainText('"failure_reason_code": "AGENT_TIMEOUT"');
    await expect(execution.getByRole("status")).toContainText("Succeeded");
    await expect(execution.getByText(/Captured: RUN_ID=[0-9a-f-]{36}/)).toBeVisible();
    // The next step that needs a run id is offered the captured one.
    await expect(card(page, 3).getByRole("button", { name: "Run step 3", exact: true })).toBeVisible();
    await card(page, 3).getByRole("button", { name: "Run step 3", exact: true }).click();
    await expect(card(page, 3).getByLabel("run_id")).toHaveValue(/^[0-9a-f-]{36}$/);
  });

  test("gets a clear error in the page when the control API is not running", async ({ page }) => {
    await page.goto(`/runbooks/${SLUG}`);
    const execution = await runStep(page, 2, "stopped-control (drill)");
    await expect(execution.getByRole("status")).toContainText("Failed", { timeout: 20_000 });
    await expect(execution.getByTestId("execution-reason")).toContainText(/The control API at http:\/\/127\.0\.0\.1:\d+ refused the connection \(is it running\?\)/);
  });
});

test.describe("viewer", () => {
  test.beforeEach(async ({ page }) => signIn(page, accounts.viewer.email, PASSWORD));

  test("has no run button, and a direct POST is refused", async ({ page }) => {
    await page.goto(`/runbooks/${SLUG}`);
    await expect(page.getByRole("button", { name: "Copy step 1" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Run step/ })).toHaveCount(0);
    const board = await (await page.request.get("/environments/reference/health/state")).json();
    const response = await page.request.post("/api/executions", {
      data: { runbookSlug: SLUG, stepId: "1-readiness-baseline-1", environmentId: board.environment.id, inputs: {} },
    });
    expect(response.status()).toBe(403);
    expect((await response.json()).error).toMatch(/may not do this/);
  });
});
