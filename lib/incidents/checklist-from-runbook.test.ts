import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { checklistTemplates, incidentChecklistItems, incidentChecklists } from "@/db/schema";
import { ForbiddenError } from "@/lib/errors";
import { importRunbooks } from "@/lib/runbooks/import";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { runbookChecklistChoices, takeChecklistFromRunbook } from "./checklist-from-runbook";
import { ensureIncidentDefaults } from "./defaults";
import { auditFor, makeIncident } from "./test-fixtures";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t.cleanup());

describe("checklists from runbooks", () => {
  it("an admin points the first-five-minutes checklist at seed 002's; new incidents get its items", async () => {
    const admin = (await makeUser(t.db, { role: "admin" })).actor;
    const commander = (await makeUser(t.db, { role: "commander" })).actor;
    await t.db.transaction((tx) => ensureIncidentDefaults(tx));
    const seedDir = path.resolve(process.cwd(), "../shared/seeds");
    const seed = fs.readdirSync(seedDir).find((f) => f.startsWith("002_"))!;
    await importRunbooks({ actor: admin, db: t.db }, [{ name: "incident-response.md", bytes: fs.readFileSync(path.join(seedDir, seed)) }]);

    const choices = await runbookChecklistChoices({ actor: admin, db: t.db });
    const firstFive = choices.find((c) => /first five minutes/i.test(c.label))!;
    expect(firstFive).toBeDefined();
    const [template] = await t.db.select().from(checklistTemplates).where(eq(checklistTemplates.kind, "first_five_minutes"));
    const input = { kind: "first_five_minutes", version: template.version, source: firstFive.value };
    await expect(takeChecklistFromRunbook({ actor: commander, db: t.db }, input)).rejects.toBeInstanceOf(ForbiddenError);
    const updated = await takeChecklistFromRunbook({ actor: admin, db: t.db }, input);
    expect(updated.source).toBe(`runbook:${firstFive.value}`);
    expect(updated.items).toHaveLength(4);
    expect(await auditFor(t.db, "checklist_template.from_runbook", "first_five_minutes")).toHaveLength(1);

    const incident = await makeIncident(t.db, commander);
    const [list] = await t.db.select().from(incidentChecklists).where(and(eq(incidentChecklists.incidentId, incident.id), eq(incidentChecklists.kind, "first_five_minutes")));
    const items = await t.db.select().from(incidentChecklistItems).where(eq(incidentChecklistItems.checklistId, list.id)).orderBy(asc(incidentChecklistItems.position));
    expect(items.map((i) => i.text)).toEqual(updated.items);
    // Sub-items travel with their item, so the runbook's detail is not lost.
    expect(items[0].text).toMatch(/surface: execution API; worker loop/i);
  });
});
