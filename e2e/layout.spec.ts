import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures/accounts";
import { expectNoSidewaysScroll, importSeedRunbook } from "./fixtures/pages";

// Every console page fits the window, on a desktop and on a 390×844 phone (playwright.config.ts),
// and on a phone the navigation folds into a menu.

test.use({ storageState: storageState("admin") });

test("no page scrolls sideways; on a phone the menu opens and closes", async ({ page }, info) => {
  const runbook = await importSeedRunbook(page, "layout-e2e-incident-response");
  const created = await page.request.post("/api/incidents", { data: { title: `Layout check with a long unbroken title ${"x".repeat(60)}`, severity: "SEV1", surfaces: ["checkout"] } });
  const { id, ref } = (await created.json()) as { id: string; ref: string };
  const note = await page.request.post(`/api/incidents/${id}/notes`, { data: { body: `A long line \`${"y".repeat(300)}\` and a table\n\n| a | b |\n|---|---|\n| ${"z".repeat(120)} | 2 |` } });
  expect(note.status()).toBe(201);
  const alerts = (await page.request.get("/alerts")).status() === 200 ? ["/alerts"] : [];
  const pages = [
    "/",
    "/incidents",
    "/incidents/new",
    `/incidents/${ref}`,
    `/incidents/${ref}?view=public-updates`,
    `/incidents/${ref}?view=triage`,
    `/incidents/${ref}?view=details`,
    `/incidents/${ref}/review`,
    "/incidents/settings",
    "/runbooks",
    runbook,
    "/triage",
    ...alerts,
    "/drills",
    "/environments",
    "/status-admin",
    "/status",
    "/reviews",
    "/reliability",
    "/admin/users",
    "/admin/audit",
  ];
  for (const path of pages) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(400);
    await expectNoSidewaysScroll(page, path);
  }

  if (info.project.name === "phone") {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeHidden();
    await page.getByRole("button", { name: "Menu" }).click();
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: "Incidents" }).click();
    await expect(page).toHaveURL(/\/incidents$/);
    await expect(nav).toBeHidden();
  } else {
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  }
});
