import "server-only";
import type { Db } from "@/db/client";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { readIncident } from "@/lib/incidents/record";
import { formatNumber as incidentRef } from "@/lib/incidents/state-machine";
import { listArtifacts, sha256 } from "./capture";
import { tar } from "./tar";

const EXT: Record<string, string> = { metrics: "prom" };

export type ManifestEntry = { file: string; artifactId: string; kind: string; sha256: string; sizeBytes: number; sourceUrl: string; capturedAt: string; capturedBy: string };
export type Manifest = {
  incident: string;
  generatedAt: string;
  artifacts: ManifestEntry[];
  missing: { artifactId: string; kind: string; sourceUrl: string; capturedAt: string; error: string }[];
};

/**
 * The incident's evidence as one tar: every artifact as stored, and `manifest.json` with the
 * SHA-256 recorded at capture. The stored hash goes into the manifest (not a fresh one), so a
 * changed byte shows up when the bundle is checked with `sha256sum` or `verifyBundle`.
 */
export async function buildBundle(ctx: Ctx, incidentId: string): Promise<{ filename: string; bytes: Buffer; manifest: Manifest }> {
  requirePermission(ctx.actor, "incidents.read");
  const incident = await readIncident(ctx.db, incidentId);
  const artifacts = await listArtifacts(ctx.db, incidentId);
  const manifest: Manifest = { incident: incidentRef(incident.number), generatedAt: new Date().toISOString(), artifacts: [], missing: [] };
  const files: { name: string; content: Buffer; mtime: Date }[] = [];
  for (const a of artifacts) {
    if (!a.content || !a.sha256) {
      manifest.missing.push({ artifactId: a.id, kind: a.kind, sourceUrl: a.sourceUrl, capturedAt: a.capturedAt.toISOString(), error: a.error ?? "no content" });
      continue;
    }
    const file = `artifacts/${a.capturedAt.toISOString().replace(/[:.]/g, "-")}-${a.kind}-${a.id.slice(0, 8)}.${EXT[a.kind] ?? "json"}`;
    files.push({ name: file, content: a.content, mtime: a.capturedAt });
    manifest.artifacts.push({ file, artifactId: a.id, kind: a.kind, sha256: a.sha256, sizeBytes: a.sizeBytes, sourceUrl: a.sourceUrl, capturedAt: a.capturedAt.toISOString(), capturedBy: a.capturedBy });
  }
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + "\n");
  const sums = Buffer.from(manifest.artifacts.map((a) => `${a.sha256}  ${a.file}`).join("\n") + "\n");
  const bytes = tar([{ name: "manifest.json", content: manifestBytes }, { name: "SHA256SUMS", content: sums }, ...files]);
  await ctx.db.transaction(async (tx) => {
    await writeAudit(tx, { actor: ctx.actor, action: "evidence.download", targetType: "incident", targetId: incidentId, after: { artifacts: manifest.artifacts.length, bundleSha256: sha256(bytes) } });
  });
  return { filename: `${manifest.incident}-evidence.tar`, bytes, manifest };
}

export type VerifyProblem = { artifactId: string; kind: string; expected: string; actual: string; sizeBytes: number; storedSizeBytes: number };

/** Recomputes every stored artifact's SHA-256 and reports each one that no longer matches. */
export async function verifyEvidence(ctx: Ctx, incidentId: string): Promise<{ ok: boolean; checked: number; problems: VerifyProblem[] }> {
  requirePermission(ctx.actor, "incidents.read");
  await readIncident(ctx.db, incidentId);
  return verifyArtifacts(ctx.db, incidentId);
}

export async function verifyArtifacts(db: Db, incidentId: string) {
  const problems: VerifyProblem[] = [];
  let checked = 0;
  for (const a of await listArtifacts(db, incidentId)) {
    if (!a.content || !a.sha256) continue;
    checked += 1;
    const actual = sha256(a.content);
    if (actual !== a.sha256) problems.push({ artifactId: a.id, kind: a.kind, expected: a.sha256, actual, sizeBytes: a.content.length, storedSizeBytes: a.sizeBytes });
  }
  return { ok: problems.length === 0, checked, problems };
}
