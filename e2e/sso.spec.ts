import { expect, test } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { storageState } from "./fixtures/accounts";

// Issue 13 item 11: single sign-on against a real OpenID provider (the `oidc-provider` library in
// its own process, started by scripts/e2e-server.mjs from e2e/fixtures/oidc-provider.mjs). The
// account's groups claim maps to a role, and disabling the user in Sitrep ends the session.
test("signs in through the OpenID provider, maps groups to a role, and a disable ends the session", async ({ browser }) => {
  // On "localhost": Next turns loopback addresses into "localhost" in the request URL Auth.js
  // builds the OIDC callback from, so the whole sign-in stays on that one origin (a real
  // deployment uses its own host name and SITREP_PUBLIC_URL).
  const context = await browser.newContext({ baseURL: baseURL.replace("127.0.0.1", "localhost") });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with E2E Identity" }).click();

  // The provider's own login and consent pages (development interactions of oidc-provider).
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.locator('input[name="login"]').fill("lee");
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click(); // consent: "Continue"

  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  // groups ["sre", "sre-leads"] with SITREP_OIDC_ROLE_MAP "sre=responder,sre-leads=commander".
  await expect(page.getByTestId("current-role")).toHaveText("commander");
  expect((await page.request.get("/api/incidents")).status()).toBe(200);

  const admin = await (await browser.newContext({ storageState: storageState("admin") })).newPage();
  await admin.goto("/admin/users");
  const row = admin.getByRole("row").filter({ hasText: "lee@oidc.e2e.test" });
  await expect(row.getByRole("cell", { name: "commander", exact: true })).toBeVisible();
  await admin.getByRole("button", { name: "Disable lee@oidc.e2e.test" }).click();
  await expect(row.getByText("disabled")).toBeVisible();

  expect((await page.request.get("/api/incidents")).status()).toBe(401);
  await page.goto("/incidents");
  await expect(page).toHaveURL(/\/sign-in/);
});
