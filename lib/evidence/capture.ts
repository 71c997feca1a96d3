import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { asc, eq } from "drizzle-orm";
import { evidenceArtifacts, evidenceKinds, type EvidenceArtifact, type EvidenceKind } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { requireEnvironment } from "@/lib/environments/queries";
import { readIncident, recordChange } from "@/lib/incidents/record";
import { runtimeApi } from "@/lib/runtime-api";
import { parseInput } from "@/lib/validation";

export const captureSchema = z.object({ incidentId: z.string().uuid(), environmentId: z.string().uuid() });

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const SOURCES: Record<EvidenceKind, { path: string; contentType: string }> = {
  health: { path: "/healthz", contentType: "application/json" },
  metrics: { path: "/metrics", contentType: "text/plain; version=0.0.4" },
  jobs: { path: "/v1/jobs?limit=100", contentType: "application/json" },
  audit_logs: { path: "/v1/audit/logs?limit=200", contentType: "application/json" },
  dlq: { path: "/v1/dlq", contentType: "application/json" },
};

export type CaptureResult = { captureId: string; artifacts: EvidenceArtifactView[]; missing: { kind: EvidenceKind; error: string }[] };
export type EvidenceArtifactView = Omit<EvidenceArtifact, "content">;

export const toArtifactView = ({ content: _content, ...rest }: EvidenceArtifact): EvidenceArtifactView => rest;

/**
 * Seed 002 §3: health, a /metrics snapshot, recent jobs, the audit window and the DLQ, fetched
 * through the runtime client and stored as immutable rows with their SHA-256. A source that is
 * down becomes a row with its error, and the timeline event names what is missing.
 */
export async function captureEvidence(ctx: Ctx, input: unknown): Promise<CaptureResult> {
  requirePermission(ctx.actor, "evidence.capture");
  const { incidentId, environmentId } = parseInput(captureSchema, input);
  await readIncident(ctx.db, incidentId);
  const environment = await requireEnvironment(ctx.db, environmentId);
  const client = runtimeApi({ baseUrl: environment.runtimeBaseUrl, operatorToken: environment.runtimeToken, timeoutMs: 5_000 });
  const fetchers: Record<EvidenceKind, () => Promise<string>> = {
    health: async () => JSON.stringify(await client.healthz(), null, 2),
    metrics: async () => (await client.metrics()).text,
    jobs: async () => JSON.stringify(await client.jobs(100), null, 2),
    audit_logs: async () => JSON.stringify(await client.auditLogs(200), null, 2),
    dlq: async () => JSON.stringify(await client.dlq(), null, 2),
  };
  const captureId = randomUUID();
  const fetched = await Promise.all(
    evidenceKinds.map(async (kind) => {
      const at = new Date();
      try {
        const text = await fetchers[kind]();
        return { kind, at, bytes: Buffer.from(text, "utf8"), error: null as string | null };
      } catch (error) {
        return { kind, at, bytes: null, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .insert(evidenceArtifacts)
      .values(
        fetched.map((f) => ({
          incidentId,
          environmentId,
          captureId,
          kind: f.kind,
          sourceUrl: environment.runtimeBaseUrl + SOURCES[f.kind].path,
          contentType: SOURCES[f.kind].contentType,
          content: f.bytes,
          sha256: f.bytes ? sha256(f.bytes) : null,
          sizeBytes: f.bytes?.length ?? 0,
          error: f.error,
          capturedAt: f.at,
          capturedBy: ctx.actor.email,
        })),
      )
      .returning();
    const missing = fetched.filter((f) => f.error).map((f) => ({ kind: f.kind, error: f.error! }));
    const captured = rows.filter((r) => r.sha256).map((r) => ({ kind: r.kind, sha256: r.sha256, sizeBytes: r.sizeBytes }));
    const body = missing.length
      ? `Evidence captured from ${environment.name} (partial): ${captured.map((c) => c.kind).join(", ") || "nothing"}; missing ${missing.map((m) => m.kind).join(", ")}`
      : `Evidence captured from ${environment.name}: ${captured.map((c) => c.kind).join(", ")}`;
    await recordChange(
      tx,
      ctx.actor,
      { action: "evidence.capture", targetType: "incident", targetId: incidentId, after: { captureId, environmentId, captured, missing: missing.map((m) => m.kind) } },
      { incidentId, kind: "evidence.captured", body, payload: { captureId, environmentId, environmentName: environment.name, captured, missing } },
    );
    return { captureId, artifacts: rows.map(toArtifactView), missing };
  });
}

export async function listArtifacts(db: Ctx["db"], incidentId: string): Promise<EvidenceArtifact[]> {
  return db.select().from(evidenceArtifacts).where(eq(evidenceArtifacts.incidentId, incidentId)).orderBy(asc(evidenceArtifacts.capturedAt), asc(evidenceArtifacts.kind));
}
