import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries } from "@/db/schema";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { importRunbooks } from "@/lib/runbooks";
import { drillPlans } from "@/db/schema";
import { ConflictError } from "@/lib/errors";
import { getDrillPlan, getDrillPlanForEdit, getDrillSettings, saveDrillPlan, updateDrillSettings } from "./index";

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
    const markdown = "# Some runbook\n\n## Check\n\n```bash\n./scripts/runtime-health-check.sh\n```\n";
    await importRunbooks({ actor: admin.actor, db: t.db }, [{ name: "some-runbook.md", bytes: new TextEncoder().encode(markdown) }]);
    const plan = { summary: "Take one slot first.", steps: { "check-1": { setup: [{ kind: "create-runs", count: 1, prefix: "probe_run" }], cleanup: [{ kind: "release-slots" }] } } };
    await expect(saveDrillPlan({ actor: commander.actor, db: t.db }, { runbookSlug: "some-runbook", plan })).rejects.toBeInstanceOf(ForbiddenError);
    const bad = await saveDrillPlan({ actor: admin.actor, db: t.db }, { runbookSlug: "some-runbook", plan: { steps: { x: { setup: [{ kind: "format-disk" }] } } } }).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    const saved = await saveDrillPlan({ actor: admin.actor, db: t.db }, { runbookSlug: "some-runbook", plan });
    expect(saved.steps["check-1"].setup).toEqual([{ kind: "create-runs", count: 1, prefix: "probe_run", title: "sitrep drill" }]);
    expect(await getDrillPlan({ actor: commander.actor, db: t.db }, "some-runbook")).toMatchObject({ origin: "custom", plan: { summary: "Take one slot first." } });
    expect(await audited("drill_plan", "some-runbook", "drill.plan.save")).toBe(1);
  });

  it("refuses steps the runbook does not have, runbooks that do not exist, and a save over someone else's", async () => {
    const admin = await makeUser(t.db, { role: "admin" });
    const ctx = { actor: admin.actor, db: t.db };
    const typo = await saveDrillPlan(ctx, { runbookSlug: "some-runbook", plan: { steps: { "chek-1": { skip: "typo" } } } }).catch((e) => e);
    expect(typo).toBeInstanceOf(ValidationError);
    expect(typo.message).toBe("The plan names steps this runbook does not have: chek-1. Its steps are: check-1.");
    await expect(saveDrillPlan(ctx, { runbookSlug: "no-such-runbook", plan: {} })).rejects.toThrow(/does not exist/);

    const editing = await getDrillPlanForEdit(ctx, "some-runbook");
    expect(editing).toMatchObject({ origin: "custom", version: 1, steps: [{ id: "check-1", ordinal: 1, commands: 1 }] });
    await saveDrillPlan(ctx, { runbookSlug: "some-runbook", plan: { summary: "First editor" }, version: editing.version });
    const late = await saveDrillPlan(ctx, { runbookSlug: "some-runbook", plan: { summary: "Second editor" }, version: editing.version }).catch((e) => e);
    expect(late).toBeInstanceOf(ConflictError);
    expect(late.message).toMatch(/Someone saved this drill plan meanwhile \(now version 2, by /);
    expect((await getDrillPlan(ctx, "some-runbook")).plan.summary).toBe("First editor");
  });

  it("a seed runbook's built-in plan is read without storing anything", async () => {
    const viewer = await makeUser(t.db, { role: "viewer" });
    const slug = "operator-incident-and-rollback-runbook-host-only";
    const { origin, plan } = await getDrillPlan({ actor: viewer.actor, db: t.db }, slug);
    expect(origin).toBe("built-in");
    expect(plan.steps["notes-1"].skip).toBeTruthy();
    expect(await t.db.select().from(drillPlans).where(eq(drillPlans.runbookSlug, slug))).toHaveLength(0);
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
