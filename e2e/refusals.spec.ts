import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures/accounts";

// Words for people: a refused page answers 403 with the page, an unknown one 404; an invalid form
// says what is wrong in a sentence with the limit, once, and never in zod's words.

test.describe("a viewer", () => {
  test.use({ storageState: storageState("viewer") });
  test("gets 403 with the refusal page for pages their role may not open", async ({ page }) => {
    for (const path of ["/incidents/new", "/incidents/settings", "/admin/users", "/admin/audit", "/drills/new"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("alert").filter({ hasText: "Not allowed" })).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Main" }).or(page.getByRole("button", { name: "Menu" }))).toBeVisible();
    }
  });
});

test.describe("a responder", () => {
  test.use({ storageState: storageState("responder") });
  test("gets 404 for an incident that does not exist, 403 for admin pages, and a favicon", async ({ page }) => {
    expect((await page.goto("/incidents/INC-987654"))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    expect((await page.goto("/admin/users"))?.status()).toBe(403);
    const icon = await page.request.get("/favicon.ico");
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toMatch(/icon/);
  });

  test("an over-long title is refused as “Title: at most 200 characters”, once, with what was typed kept", async ({ page }) => {
    await page.goto("/incidents/new");
    const form = page.getByRole("form", { name: "Declare incident" });
    const title = form.getByLabel("Title");
    await expect(title).toHaveAttribute("maxlength", "200");
    // A hand-made request can skip the browser's limit; the server's answer is a sentence.
    await title.evaluate((el) => el.removeAttribute("maxlength"));
    await title.fill("x".repeat(205));
    await form.getByLabel("Commander", { exact: true }).selectOption({ index: 1 });
    await form.getByRole("button", { name: "Declare" }).click();
    await expect(form.getByText("Title: at most 200 characters")).toHaveCount(1);
    await expect(form).not.toContainText(/Too big|Invalid input|expected string/);
    await expect(title).toHaveValue("x".repeat(205));
  });
});
