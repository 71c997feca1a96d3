import { expect, test as setup } from "@playwright/test";
import { ADMIN, PASSWORD, accounts, storageState, type AccountKey } from "./fixtures/accounts";
import { signIn, signOut } from "./fixtures/session";

// Signs in once per role and saves the session for the specs. Accounts are created through the
// admin page, the way a person would.
setup("sign in every role", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/users");
  for (const account of Object.values(accounts)) {
    const form = page.getByRole("form", { name: "Create user" });
    await form.getByLabel("Email").fill(account.email);
    await form.getByLabel("Name").fill(account.name);
    await form.getByLabel("Role").selectOption(account.role);
    await form.getByLabel("Initial password").fill(PASSWORD);
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByRole("cell", { name: account.email, exact: true })).toBeVisible();
  }
  // Signing out ends that session on the server, so the admin's saved session is a fresh one.
  await signOut(page);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.context().storageState({ path: storageState("admin") });
  await page.context().clearCookies();
  for (const key of Object.keys(accounts) as AccountKey[]) {
    await signIn(page, accounts[key].email, PASSWORD);
    await page.context().storageState({ path: storageState(key) });
    await page.context().clearCookies();
  }
});
