import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so a value hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

export const GENESIS_HASH = "0".repeat(64);

export type HashedFields = {
  seq: number;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  prevHash: string;
};

export function entryHash(fields: HashedFields): string {
  // Pick the fields by name: a row read back carries its own hash, which must not hash itself.
  return sha256(
    canonicalJson({
      seq: fields.seq,
      at: fields.at.toISOString(),
      actorId: fields.actorId,
      actorEmail: fields.actorEmail,
      actorRole: fields.actorRole,
      action: fields.action,
      targetType: fields.targetType,
      targetId: fields.targetId,
      before: fields.before ?? null,
      after: fields.after ?? null,
      requestId: fields.requestId,
      prevHash: fields.prevHash,
    }),
  );
}
