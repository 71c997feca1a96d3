import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertSources, type AlertSource } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { createSourceSchema, sourceRefSchema, updateSourceSchema } from "./schemas";
import { hashToken, newSecret } from "./secrets";

export const SITREP_SOURCE_NAME = "Sitrep trigger rules";

/** What pages and the audit trail may see of a source: never its secret. */
export type SourceView = Omit<AlertSource, "secretHash" | "hmacKey"> & { webhookPath: string | null };

export function sourceView(s: AlertSource): SourceView {
  const { secretHash: _h, hmacKey: _k, ...rest } = s;
  return { ...rest, webhookPath: s.kind === "sitrep" ? null : `/api/alerts/webhook/${s.id}` };
}

const auditView = (s: AlertSource) => ({ name: s.name, kind: s.kind, authMode: s.authMode, alertmanagerUrl: s.alertmanagerUrl, groupBy: s.groupBy, mapping: s.mapping, revoked: !!s.revokedAt, version: s.version });

/** The built-in source Sitrep's own trigger rules write through (created when missing). */
export async function ensureSitrepSource(db: Db): Promise<AlertSource> {
  const [existing] = await db.select().from(alertSources).where(eq(alertSources.kind, "sitrep")).limit(1);
  if (existing) return existing;
  await db.insert(alertSources).values({ name: SITREP_SOURCE_NAME, kind: "sitrep", authMode: "none", groupBy: ["alertname"], createdBy: "system@sitrep" }).onConflictDoNothing();
  const [row] = await db.select().from(alertSources).where(eq(alertSources.kind, "sitrep")).limit(1);
  return row;
}

export async function listSources(ctx: Ctx): Promise<SourceView[]> {
  requirePermission(ctx.actor, "alerts.read");
  return (await ctx.db.select().from(alertSources).orderBy(asc(alertSources.createdAt))).map(sourceView);
}

export async function findSourceRow(db: Db, id: string): Promise<AlertSource | undefined> {
  const [row] = await db.select().from(alertSources).where(eq(alertSources.id, id)).limit(1);
  return row;
}

export type NewSecret = { source: SourceView; secret: string };

/** Adds a webhook source and hands its secret back once (bearer token or HMAC key). */
export async function createSource(ctx: Ctx, input: unknown): Promise<NewSecret> {
  requirePermission(ctx.actor, "alerts.configure");
  const data = parseInput(createSourceSchema, input);
  const secret = newSecret();
  return ctx.db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: alertSources.id }).from(alertSources).where(eq(alertSources.name, data.name)).limit(1);
    if (clash) throw new ValidationError("A source with that name exists.", { name: ["Choose another name."] });
    const [row] = await tx
      .insert(alertSources)
      .values({
        name: data.name,
        kind: data.kind,
        authMode: data.authMode,
        secretHash: data.authMode === "bearer" ? hashToken(secret) : null,
        hmacKey: data.authMode === "hmac" ? secret : null,
        alertmanagerUrl: data.alertmanagerUrl ?? null,
        groupBy: data.groupBy?.length ? data.groupBy : ["alertname"],
        mapping: data.mapping ?? null,
        createdBy: ctx.actor.email,
      })
      .returning();
    await writeAudit(tx, { actor: ctx.actor, action: "alert.source.create", targetType: "alert_source", targetId: row.id, after: auditView(row) });
    return { source: sourceView(row), secret };
  });
}

async function current(tx: Db, id: string, version: number): Promise<AlertSource> {
  const row = await findSourceRow(tx, id);
  if (!row || row.kind === "sitrep") throw new NotFoundError("That alert source does not exist.");
  if (row.version !== version) throw new ConflictError("Someone changed this source meanwhile; reload and try again.", sourceView(row));
  return row;
}

async function write(tx: Db, row: AlertSource, set: Partial<typeof alertSources.$inferInsert>): Promise<AlertSource> {
  const [updated] = await tx
    .update(alertSources)
    .set({ ...set, version: row.version + 1, updatedAt: new Date() })
    .where(and(eq(alertSources.id, row.id), eq(alertSources.version, row.version)))
    .returning();
  if (!updated) throw new ConflictError("Someone changed this source meanwhile; reload and try again.");
  return updated;
}

/** A new secret; the old one stops working at once (401). */
export async function rotateSourceSecret(ctx: Ctx, input: unknown): Promise<NewSecret> {
  requirePermission(ctx.actor, "alerts.configure");
  const { id, version } = parseInput(sourceRefSchema, input);
  const secret = newSecret();
  return ctx.db.transaction(async (tx) => {
    const row = await current(tx, id, version);
    const updated = await write(tx, row, { secretHash: row.authMode === "bearer" ? hashToken(secret) : null, hmacKey: row.authMode === "hmac" ? secret : null, revokedAt: null, revokedBy: null });
    await writeAudit(tx, { actor: ctx.actor, action: "alert.source.rotate", targetType: "alert_source", targetId: id, before: auditView(row), after: auditView(updated) });
    return { source: sourceView(updated), secret };
  });
}

/** Revoked: every request with its secret gets 401 until an admin rotates a new one. */
export async function revokeSource(ctx: Ctx, input: unknown): Promise<SourceView> {
  requirePermission(ctx.actor, "alerts.configure");
  const { id, version } = parseInput(sourceRefSchema, input);
  return ctx.db.transaction(async (tx) => {
    const row = await current(tx, id, version);
    const updated = await write(tx, row, { revokedAt: new Date(), revokedBy: ctx.actor.email });
    await writeAudit(tx, { actor: ctx.actor, action: "alert.source.revoke", targetType: "alert_source", targetId: id, before: auditView(row), after: auditView(updated) });
    return sourceView(updated);
  });
}

export async function updateSource(ctx: Ctx, input: unknown): Promise<SourceView> {
  requirePermission(ctx.actor, "alerts.configure");
  const data = parseInput(updateSourceSchema, input);
  return ctx.db.transaction(async (tx) => {
    const row = await current(tx, data.id, data.version);
    const updated = await write(tx, row, {
      ...(data.alertmanagerUrl !== undefined ? { alertmanagerUrl: data.alertmanagerUrl } : {}),
      ...(data.groupBy?.length ? { groupBy: data.groupBy } : {}),
      ...(data.mapping ? { mapping: data.mapping } : {}),
    });
    await writeAudit(tx, { actor: ctx.actor, action: "alert.source.update", targetType: "alert_source", targetId: data.id, before: auditView(row), after: auditView(updated) });
    return sourceView(updated);
  });
}
