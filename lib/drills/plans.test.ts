import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries } from "@/db/schema";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { getDrillPlan, getDrillSettings, saveDrillPlan, updateDrillSettings } from "./index";

// Drill plans and drill settings: admins change them, others may not, every change is audited.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.cleanup();
});

const audited = async (targetType: string, targetId: string, action: string) =>
  (await t.db.select().from(auditEntries).where(and(eq(auditEntries.targetType, targetType), eq(auditEntries.targetId, targetId), eq(auditEntries.action, action)))).length;

describe("drill plans", () => {
  it("an admin replaces a runbook's plan (checked as a whole, audited); a commander may not", async () => {
    const admin = await makeUser(t.db, { role: "admin" });
    const commander = await makeUser(t.db, { role: "commander" });
    const plan = { summary: "Take one slot first.", steps: { "check-1": { setup: [{ kind: "create-runs", count: 1, prefix: "probe_run" }], cleanup: [{ kind: "release-slots" }] } } };
    await expect(saveDrillPlan({ actor: commander.actor, db: t.db }, { runbookSlug: "some-runbook", plan })).rejects.toBeInstanceOf(ForbiddenError);
    const bad = await saveDrillPlan({ actor: admin.actor, db: t.db }, { runbookSlug: "some-runbook", plan: { steps: { x: { setup: [{ kind: "format-disk" }] } } } }).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    const saved = await saveDrillPlan({ actor: admin.actor, db: t.db }, { runbookSlug: "some-runbook", plan });
    expect(saved.steps["check-1"].setup).toEqual([{ kind: "create-runs", count: 1, prefix: "probe_run", title: "sitrep drill" }]);
    expect(await getDrillPlan({ actor: commander.actor, db: t.db }, "some-runbook")).toMatchObject({ origin: "custom", plan: { summary: "Take one slot first." } });
    expect(await audited("drill_plan", "some-runbook", "drill.plan.save")).toBe(1);
  });

  it("the built-in plan of a seed runbook is stored on first use", async () => {
    const viewer = await makeUser(t.db, { role: "viewer" });
    const { origin, plan } = await getDrillPlan({ actor: viewer.actor, db: t.db }, "operator-incident-and-rollback-runbook-host-only");
    expect(origin).toBe("built-in");
    expect(plan.steps["notes-1"].skip).toBeTruthy();
  });
});

describe("drill settings", () => {
  it("an admin requires an independent signer (audited); a commander may not change it", async () => {
    const admin = await makeUser(t.db, { role: "admin" });
    const commander = await makeUser(t.db, { role: "commander" });
    await expect(updateDrillSettings({ actor: commander.actor, db: t.db }, { requireIndependentSigner: true })).rejects.toBeInstanceOf(ForbiddenError);
    await updateDrillSettings({ actor: admin.actor, db: t.db }, { requireIndependentSigner: true });
    expect(await getDrillSettings(t.db)).toEqual({ requireIndependentSigner: true });
    expect(await audited("settings", "drills.settings", "drill.settings.update")).toBe(1);
  });
});
