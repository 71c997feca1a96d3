import { expect, test } from "@playwright/test";
import { ADMIN, PASSWORD } from "./fixtures/accounts";
import { signIn, signOut } from "./fixtures/session";
import { callAction } from "./fixtures/server-action";

// Issue 2: first start created the admin (from SITREP_ADMIN_* in scripts/e2e-server.mjs); the admin
// creates a viewer; the viewer is refused the admin page and the user-creation action, through the
// UI and directly over HTTP, and every refusal is in the audit log.
test("admin creates a viewer; the viewer is refused admin pages and actions, and refusals are audited", async ({ page, browser }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByTestId("current-role")).toHaveText("admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  const form = page.getByRole("form", { name: "Create user" });

  // A malformed form keeps what was typed and names the field.
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByLabel("Name").fill("Quinn Viewer");
  await form.getByLabel("Initial password").fill("short");
  await form.getByLabel("Email").evaluate((el: HTMLInputElement) => (el.type = "text"));
  await form.getByLabel("Initial password").evaluate((el: HTMLInputElement) => el.removeAttribute("minlength"));
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByText("Enter a valid email address.")).toBeVisible();
  await expect(form.getByText("Use at least 12 characters.")).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveValue("Quinn Viewer");

  await form.getByLabel("Email").fill("quinn@e2e.test");
  await form.getByLabel("Initial password").fill(PASSWORD);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("cell", { name: "quinn@e2e.test", exact: true })).toBeVisible();
  await signOut(page);

  const viewer = await browser.newContext();
  const viewerPage = await viewer.newPage();
  await signIn(viewerPage, "quinn@e2e.test", PASSWORD);
  await expect(viewerPage.getByTestId("current-role")).toHaveText("viewer");
  await expect(viewerPage.getByRole("link", { name: "Users" })).toHaveCount(0);

  await viewerPage.goto("/admin/users");
  await expect(viewerPage.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(viewerPage.getByRole("form", { name: "Create user" })).toHaveCount(0);

  const direct = await callAction(viewerPage.request, "/admin/users", "app/(console)/admin/users/actions.ts", "createUserAction", [
    { email: "mallory@e2e.test", name: "Mallory", role: "admin", password: "mallory-password-1" },
  ]);
  expect(direct.body).toContain("may not do this");
  expect(direct.body).not.toContain("mallory@e2e.test\",\"name");
  await viewer.close();

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/users");
  await expect(page.getByRole("cell", { name: "mallory@e2e.test", exact: true })).toHaveCount(0);
  await page.goto("/admin/audit?action=permission.denied&actor=quinn%40e2e.test");
  const rows = page.getByRole("row").filter({ hasText: "permission.denied" });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "permission:users.manage" })).toHaveCount(2);
  await expect(page.getByTestId("chain-status")).toContainText("Chain verified");
});

test("failed sign-ins are refused with one message and audited", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That email and password do not match an active account.")).toBeVisible();
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/admin/audit?action=auth.sign_in.failure&actor=${encodeURIComponent(ADMIN.email)}`);
  await expect(page.getByRole("row").filter({ hasText: "auth.sign_in.failure" }).first()).toBeVisible();
});
