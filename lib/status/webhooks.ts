import "server-only";
import crypto from "node:crypto";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhookSubscribers, type WebhookSubscriber } from "@/db/schema/status";
import { outboundUrl } from "@/lib/environments/outbound";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { subscribe } from "@/lib/live";
import { log } from "@/lib/log";
import { parseInput } from "@/lib/validation";
import { createSubscriberSchema, removeSubscriberSchema, setSubscriberActiveSchema } from "./schemas";
import { STATUS_CHANNEL } from "./snapshot";
import { changedMeanwhile, notFound } from "./write";

// Webhooks: every public change is written as a delivery per active subscriber in the publishing
// transaction (an outbox), then a background loop POSTs it, signed, and retries with exponential
// backoff. Payloads are built from the public snapshot only.

export const SIGNATURE_HEADER = "x-sitrep-signature";
export const EVENT_HEADER = "x-sitrep-event";
export const DELIVERY_HEADER = "x-sitrep-delivery";
export const WEBHOOK_DEFAULTS = { backoffMs: 30_000, maxAttempts: 8, timeoutMs: 5_000, intervalMs: 5_000, batch: 20 };

export type WebhookOptions = typeof WEBHOOK_DEFAULTS;
export type PublicSubscriber = Omit<WebhookSubscriber, "secret">;

/** `sha256=<hex HMAC-SHA256 of the raw body with the subscriber's secret>`. */
export function signBody(secret: string, body: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** For subscribers (and tests): constant-time check of a signature header against the raw body. */
export function verifySignature(secret: string, body: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

const toPublic = ({ secret: _secret, ...rest }: WebhookSubscriber): PublicSubscriber => rest;

/** Creates a subscriber; the secret is returned this once (generated when not given). */
export async function createSubscriber(ctx: Ctx, input: unknown): Promise<{ subscriber: PublicSubscriber; secret: string }> {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(createSubscriberSchema, input);
  const secret = data.secret ?? crypto.randomBytes(24).toString("base64url");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(webhookSubscribers).values({ url: data.url, description: data.description, secret, topics: data.topics, createdBy: ctx.actor.userId }).returning();
    await writeAudit(tx, { actor: ctx.actor, action: "status.webhook.create", targetType: "webhook_subscriber", targetId: row.id, after: { url: row.url, description: row.description, active: row.active } });
    return { subscriber: toPublic(row), secret };
  });
}

export async function setSubscriberActive(ctx: Ctx, input: unknown): Promise<PublicSubscriber> {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(setSubscriberActiveSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(webhookSubscribers).where(eq(webhookSubscribers.id, data.subscriberId));
    if (!current) throw notFound("subscriber");
    const [row] = await tx
      .update(webhookSubscribers)
      .set({ active: data.active, version: data.version + 1 })
      .where(and(eq(webhookSubscribers.id, data.subscriberId), eq(webhookSubscribers.version, data.version)))
      .returning();
    if (!row) throw changedMeanwhile("subscriber", toPublic(current));
    await writeAudit(tx, { actor: ctx.actor, action: "status.webhook.active", targetType: "webhook_subscriber", targetId: row.id, before: { active: current.active }, after: { active: row.active } });
    return toPublic(row);
  });
}

export async function removeSubscriber(ctx: Ctx, input: unknown): Promise<{ id: string }> {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(removeSubscriberSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(webhookSubscribers).where(eq(webhookSubscribers.id, data.subscriberId));
    if (!current) throw notFound("subscriber");
    const [row] = await tx
      .delete(webhookSubscribers)
      .where(and(eq(webhookSubscribers.id, data.subscriberId), eq(webhookSubscribers.version, data.version)))
      .returning({ id: webhookSubscribers.id });
    if (!row) throw changedMeanwhile("subscriber", toPublic(current));
    await writeAudit(tx, { actor: ctx.actor, action: "status.webhook.remove", targetType: "webhook_subscriber", targetId: row.id, before: { url: current.url, active: current.active } });
    return row;
  });
}

/** Queues one event for every active subscriber of its topic (public status changes by default), in the caller's transaction. */
export async function enqueueWebhooks(tx: Db, event: string, data: Record<string, unknown>, options: { topic?: string } = {}): Promise<number> {
  const topic = JSON.stringify([options.topic ?? "status"]);
  const subscribers = await tx
    .select({ id: webhookSubscribers.id })
    .from(webhookSubscribers)
    .where(and(eq(webhookSubscribers.active, true), sql`${webhookSubscribers.topics} @> ${topic}::jsonb`));
  if (!subscribers.length) return 0;
  const now = new Date();
  const body = JSON.stringify({ event, id: crypto.randomUUID(), createdAt: now.toISOString(), data });
  await tx.insert(webhookDeliveries).values(subscribers.map((s) => ({ subscriberId: s.id, event, body, nextAttemptAt: now })));
  return subscribers.length;
}

type Outcome = { ok: boolean; responseCode: number | null; error: string | null; durationMs: number };

async function send(url: string, secret: string, deliveryId: string, event: string, body: string, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(outboundUrl(null, { kind: "webhook", url }, ""), {
      method: "POST",
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Sitrep-Webhooks/1",
        [SIGNATURE_HEADER]: signBody(secret, body),
        [EVENT_HEADER]: event,
        [DELIVERY_HEADER]: deliveryId,
      },
    });
    await response.arrayBuffer().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, responseCode: response.status, error: ok ? null : `HTTP ${response.status}`, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const text = (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : cause?.code === "ECONNREFUSED" ? "connection refused" : (error as Error).message;
    return { ok: false, responseCode: null, error: text, durationMs: Math.round(performance.now() - started) };
  }
}

/**
 * Sends every delivery that is due. Rows are claimed with SKIP LOCKED and pushed a lease ahead, so
 * several instances never send the same attempt twice. Returns how many attempts were made.
 */
export async function deliverDue(db: Db, options: Partial<WebhookOptions> = {}): Promise<number> {
  const o = { ...WEBHOOK_DEFAULTS, ...options };
  const now = new Date();
  const claimed = await db.transaction(async (tx) => {
    const rows = await tx
      .select({ delivery: webhookDeliveries, url: webhookSubscribers.url, secret: webhookSubscribers.secret, active: webhookSubscribers.active })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscribers, eq(webhookSubscribers.id, webhookDeliveries.subscriberId))
      .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(o.batch)
      .for("update", { of: webhookDeliveries, skipLocked: true });
    for (const row of rows) {
      await tx
        .update(webhookDeliveries)
        .set({ nextAttemptAt: new Date(now.getTime() + o.timeoutMs + 60_000) })
        .where(eq(webhookDeliveries.id, row.delivery.id));
    }
    return rows;
  });
  await Promise.all(
    claimed.map(async ({ delivery, url, secret, active }) => {
      const attempt = delivery.attempts + 1;
      const outcome: Outcome = active ? await send(url, secret, delivery.id, delivery.event, delivery.body, o.timeoutMs) : { ok: false, responseCode: null, error: "subscriber is paused", durationMs: 0 };
      const finished = new Date();
      const giveUp = !outcome.ok && attempt >= o.maxAttempts;
      const next = outcome.ok || giveUp ? null : new Date(finished.getTime() + o.backoffMs * 2 ** (attempt - 1));
      await db.transaction(async (tx) => {
        await tx
          .update(webhookDeliveries)
          .set({
            attempts: attempt,
            status: outcome.ok ? "delivered" : giveUp ? "failed" : "pending",
            responseCode: outcome.responseCode,
            error: outcome.error,
            lastAttemptAt: finished,
            deliveredAt: outcome.ok ? finished : null,
            nextAttemptAt: next,
          })
          .where(eq(webhookDeliveries.id, delivery.id));
        await tx.insert(webhookAttempts).values({ deliveryId: delivery.id, attempt, at: finished, responseCode: outcome.responseCode, error: outcome.error, durationMs: outcome.durationMs });
      });
      if (!outcome.ok) log.warn("status.webhook_failed", { deliveryId: delivery.id, subscriberId: delivery.subscriberId, attempt, error: outcome.error, nextAttemptAt: next?.toISOString() ?? null });
    }),
  );
  return claimed.length;
}

/** The background loop (a start hook): a pass every interval, and at once when something is published. */
export function startWebhookWorker(getDb: () => Promise<Db>, options: Partial<WebhookOptions> = {}): () => void {
  const o = { ...WEBHOOK_DEFAULTS, ...options };
  let stopped = false;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  const pass = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    if (timer) clearTimeout(timer);
    try {
      const db = await getDb();
      // Keep going while full batches come back.
      while (!stopped && (await deliverDue(db, o)) >= o.batch);
    } catch (error) {
      log.warn("status.webhook_pass_failed", { error: String(error) });
    }
    running = false;
    if (again) {
      again = false;
      void pass();
    } else if (!stopped) timer = setTimeout(pass, o.intervalMs);
  };
  subscribe(STATUS_CHANNEL, () => void pass())
    .then((stop) => (stopped ? stop() : (unsubscribe = stop)))
    .catch(() => undefined);
  timer = setTimeout(pass, 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    unsubscribe?.();
  };
}

export async function pendingDeliveries(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(webhookDeliveries).where(eq(webhookDeliveries.status, "pending"));
  return row.n;
}
