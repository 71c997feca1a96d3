/**
 * A `bytea` value as the drivers hand it over: bytes (postgres.js), or PostgreSQL's `\x…` hex text
 * (PGlite, whose own byte-by-byte codec db/client.ts replaces).
 */
export function byteaBytes(value: Uint8Array | string): Buffer {
  return typeof value === "string" ? Buffer.from(value.replace(/^\\x/, ""), "hex") : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
