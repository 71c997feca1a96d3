import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageState } from "./fixtures/accounts";
import { importSeedRunbook } from "./fixtures/pages";

// axe-core on the pages people use during an incident, in the light and the dark theme: no
// serious or critical violation. The alert page is /alerts once it exists, and the trigger page
// (/triage) until then and after.

test.use({ storageState: storageState("commander") });

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.html.slice(0, 120)} ${(n.failureSummary ?? "").split("\n").slice(1, 2).join("")}`).join(" | ")}`);
}

for (const scheme of ["light", "dark"] as const) {
  test(`no serious accessibility violations on the incident, runbook, status and alert pages (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const runbook = await importSeedRunbook(page, "a11y-e2e-incident-response");
    const created = await page.request.post("/api/incidents", { data: { title: `Accessibility check ${scheme} ${Date.now()}`, severity: "SEV1", surfaces: ["checkout"], summary: "Error rate **40%**." } });
    const { id, ref } = (await created.json()) as { id: string; ref: string };
    await page.request.post(`/api/incidents/${id}/notes`, { data: { body: "Queue depth rising; see [dashboard](https://grafana.example/d/1)." } });
    const alerts = (await page.request.get("/alerts")).status() === 200 ? ["/alerts"] : [];
    const pages = [`/incidents/${ref}`, `/incidents/${ref}?view=public-updates`, `/incidents/${ref}?view=triage`, `/incidents/${ref}?view=details`, runbook, "/status", "/status-admin", "/triage", ...alerts, "/", "/incidents"];
    const found: string[] = [];
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState("load");
      for (const v of await seriousViolations(page)) found.push(`${path}: ${v}`);
    }
    expect(found).toEqual([]);
  });
}
