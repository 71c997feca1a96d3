import { expect, test, type Page } from "@playwright/test";
import { storageState } from "./fixtures/accounts";

// Issue 15: a one-step-at-a-time drill watched in two browser contexts (a commander drives it, an
// admin watches and skips): every "Run next step" and "Skip" shows in both pages within a second
// without a reload, with a visible "running step N" / "next: step N" indicator; abort asks for
// confirmation and a reason before it does anything. The runbook touches no host resource.

const RUNBOOK = `# Live drill check

## Check

1. Look at control health:
   - \`curl -fsS http://127.0.0.1:8000/health\`
2. Confirm the dashboard is green.
3. List the preview slots:
   - \`curl -fsS http://127.0.0.1:8000/api/slots\`
4. Reap expired leases:
   - \`curl -fsS -X POST http://127.0.0.1:8000/api/slots/reap-expired\`
`;
const SECOND = 1_000;

const item = (page: Page, n: number) => page.locator(`[data-position="${n}"] [data-outcome]`);

test("two pages follow a one-step-at-a-time drill within a second; abort asks first", async ({ browser }) => {
  test.setTimeout(120_000);
  const driver = await (await browser.newContext({ storageState: storageState("commander") })).newPage();
  const watcher = await (await browser.newContext({ storageState: storageState("admin") })).newPage();

  const file = `live-drill-check-${Date.now()}.md`;
  await driver.goto("/runbooks");
  await driver.getByLabel("Markdown files").setInputFiles([{ name: file, mimeType: "text/markdown", buffer: Buffer.from(RUNBOOK) }]);
  await driver.getByRole("button", { name: "Import" }).click();
  await driver.getByRole("list", { name: "Import results" }).getByRole("link", { name: "Live drill check" }).click();
  await driver.getByRole("link", { name: /Run drill/ }).click();
  // The runbook page has an Environment picker too: wait for the drill form before choosing.
  await expect(driver.getByRole("heading", { name: "Run a validation drill" })).toBeVisible();
  await driver.getByLabel("Environment").selectOption({ label: "reference" });
  await driver.getByLabel("How to run").selectOption({ label: "One step at a time" });
  await driver.getByRole("button", { name: "Start drill" }).click();
  await expect(driver).toHaveURL(/\/drills\/[0-9a-f-]{36}$/);
  await watcher.goto(driver.url());
  for (const page of [driver, watcher]) {
    await expect(page.getByTestId("drill-live")).toHaveAttribute("data-connected", "true");
    await expect(page.getByTestId("drill-progress")).toHaveText("Next: step 1 of 4.");
  }

  // Run next step: the watcher sees the outcome within a second of the driver.
  await driver.getByRole("button", { name: "Run next step" }).click();
  await expect(item(driver, 0)).toHaveText("passed");
  await expect(item(watcher, 0)).toHaveText("passed", { timeout: SECOND });
  await expect(watcher.getByTestId("drill-progress")).toHaveText("Next: step 2 of 4.", { timeout: SECOND });

  // The manual check waits for a person, in both pages.
  await driver.getByRole("button", { name: "Run next step" }).click();
  await expect(item(driver, 1)).toHaveText("waiting");
  await expect(item(watcher, 1)).toHaveText("waiting", { timeout: SECOND });

  // The watcher skips it; the driver sees the skip (with its reason, once) within a second.
  const check = watcher.getByRole("listitem", { name: "Confirm the dashboard is green." });
  await check.getByRole("button", { name: "Skip…" }).click();
  await check.getByLabel("Why skip it?").fill("no dashboard in the reference environment");
  await check.getByRole("button", { name: "Skip step" }).click();
  await expect(item(watcher, 1)).toHaveText("skipped");
  await expect(item(driver, 1)).toHaveText("skipped", { timeout: SECOND });
  await expect(driver.getByText("no dashboard in the reference environment")).toHaveCount(1);

  // The watcher runs the next one; the driver follows.
  await watcher.getByRole("button", { name: "Run next step" }).click();
  await expect(item(watcher, 2)).toHaveText("passed");
  await expect(item(driver, 2)).toHaveText("passed", { timeout: SECOND });

  // Abort asks for confirmation and a reason; nothing happens until it is confirmed.
  await driver.getByRole("button", { name: "Abort drill…" }).click();
  const confirm = driver.getByRole("alertdialog", { name: "Confirm abort" });
  await expect(confirm).toBeVisible();
  await expect(driver.getByTestId("drill-state")).toHaveText("running");
  await confirm.getByRole("button", { name: "Keep running" }).click();
  await expect(confirm).toHaveCount(0);
  await driver.getByRole("button", { name: "Abort drill…" }).click();
  await confirm.getByLabel("Why abort it?").fill("enough for this check");
  await confirm.getByRole("button", { name: "Confirm abort" }).click();
  await expect(driver.getByTestId("drill-state")).toHaveText("aborted");
  await expect(watcher.getByTestId("drill-state")).toHaveText("aborted", { timeout: SECOND });
  await expect(watcher.getByTestId("drill-result")).toHaveText("failed");
  await expect(watcher.getByText("Why: enough for this check")).toBeVisible();
});
