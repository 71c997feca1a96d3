import "server-only";
import { z } from "zod";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { triggerRules, type TriggerRule } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

export const RULE_KEYS = ["api_5xx", "queue_no_dispatch", "recovery_latency", "terminal_error_rate", "health_after_deploy"] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

type RuleDefault = Omit<typeof triggerRules.$inferInsert, "id" | "version" | "updatedAt" | "updatedBy"> & { key: RuleKey };

// Seed 002 §2 as rules. `threshold` and `durationMs` are what an admin tunes; the playbook is the
// §4 section the banner points at.
export const DEFAULT_RULES: RuleDefault[] = [
  {
    key: "api_5xx",
    name: "Execution API returns repeated 5xx",
    description: "5xx answers counted by the runtime between two scrapes reach the threshold.",
    threshold: 3,
    durationMs: 0,
    suggestedSeverity: "SEV1",
    playbook: "API unavailable",
    surface: "runtime-api",
  },
  {
    key: "queue_no_dispatch",
    name: "Queue depth rising, no dispatch",
    description: "Queue depth above the threshold while no job completed since the previous scrape.",
    threshold: 0,
    durationMs: 0,
    suggestedSeverity: "SEV2",
    playbook: "Queue depth rising, no dispatch",
    surface: "worker",
  },
  {
    key: "recovery_latency",
    name: "Recovery latency over threshold",
    description: "Recovery latency (ms) above the threshold for longer than the duration.",
    threshold: 30_000,
    durationMs: 10 * 60_000,
    suggestedSeverity: "SEV2",
    playbook: "Sustained backpressure",
    surface: "worker",
  },
  {
    key: "terminal_error_rate",
    name: "Terminal error rate over baseline",
    description: "Share of completions ending in a terminal error above the baseline.",
    threshold: 0.1,
    durationMs: 0,
    suggestedSeverity: "SEV2",
    playbook: "High terminal error rate",
    surface: "worker",
  },
  {
    key: "health_after_deploy",
    name: "Health check failing after a deploy",
    description: "A surface health check is down within the threshold (minutes) after a deploy or rollback step ran.",
    threshold: 30,
    durationMs: 0,
    suggestedSeverity: "SEV1",
    playbook: "Failed deploy after schema change",
    surface: "runtime-api",
  },
];

/** Inserts the default rules that are missing; admin edits stay. */
export async function ensureTriggerRules(db: Db): Promise<void> {
  await db.insert(triggerRules).values(DEFAULT_RULES).onConflictDoNothing({ target: triggerRules.key });
}

export async function listRules(db: Db): Promise<TriggerRule[]> {
  await ensureTriggerRules(db);
  return db.select().from(triggerRules).orderBy(triggerRules.name);
}

export const updateRuleSchema = z.object({
  id: z.string().uuid(),
  version: z.coerce.number().int().positive(),
  threshold: z.coerce.number().min(0, "The threshold cannot be negative.").optional(),
  durationMs: z.coerce.number().int().min(0).max(24 * 3_600_000, "At most a day.").optional(),
  // What the rules page asks for: people think in minutes, not milliseconds.
  durationMinutes: z.coerce.number().min(0, "Not negative.").max(24 * 60, "At most a day.").optional(),
  enabled: z.preprocess((v) => (Array.isArray(v) ? v.includes("on") || v.includes("true") : v === "on" || v === "true" || v === true), z.boolean()).optional(),
  suggestedSeverity: z.enum(["SEV1", "SEV2", "SEV3"]).optional(),
});

/** An admin tunes a rule's threshold, duration, SEV or switches it off. Audited. */
export async function updateRule(ctx: Ctx, input: unknown): Promise<TriggerRule> {
  requirePermission(ctx.actor, "triggers.configure");
  const { id, version, durationMinutes, ...rest } = parseInput(updateRuleSchema, input);
  const changes = { ...rest, ...(durationMinutes !== undefined ? { durationMs: Math.round(durationMinutes * 60_000) } : {}) };
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(triggerRules).where(eq(triggerRules.id, id));
    if (!current) throw new NotFoundError("That trigger rule does not exist.");
    if (current.version !== version) throw new ConflictError("Someone changed this rule meanwhile; reload and try again.", current);
    const [row] = await tx
      .update(triggerRules)
      .set({ ...changes, version: version + 1, updatedAt: new Date(), updatedBy: ctx.actor.email })
      .where(eq(triggerRules.id, id))
      .returning();
    const view = (r: TriggerRule) => ({ threshold: r.threshold, durationMs: r.durationMs, enabled: r.enabled, suggestedSeverity: r.suggestedSeverity });
    await writeAudit(tx, { actor: ctx.actor, action: "trigger.rule.update", targetType: "trigger_rule", targetId: id, before: view(current), after: view(row) });
    return row;
  });
}
