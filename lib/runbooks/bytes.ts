import { createHash } from "node:crypto";
import { MAX_RUNBOOK_BYTES, RunbookParseError } from "@/lib/runbooks/parse";

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Bytes → markdown text, refusing what cannot be a runbook with a clear reason. The text keeps
 * every byte (a BOM included), so the stored markdown hashes to the uploaded file's SHA-256.
 */
export function decodeRunbookBytes(bytes: Uint8Array, fileName?: string): string {
  if (bytes.byteLength > MAX_RUNBOOK_BYTES) {
    throw new RunbookParseError(
      `the file is ${formatBytes(bytes.byteLength)}; runbooks may be at most ${formatBytes(MAX_RUNBOOK_BYTES)}`,
      "too-large",
      fileName,
    );
  }
  if (bytes.byteLength === 0 || bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    throw new RunbookParseError("the file is empty", "empty", fileName);
  }
  if (bytes.includes(0)) throw new RunbookParseError("the file is binary (it contains NUL bytes), not markdown", "binary", fileName);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new RunbookParseError("the file is not valid UTF-8 text", "invalid-utf8", fileName);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
