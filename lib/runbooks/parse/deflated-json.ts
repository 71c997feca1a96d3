import { deflateSync, inflateSync } from "node:zlib";
import { byteaBytes } from "@/db/bytea";

// A revision's stored structure and rendered document are kept deflated (zlib, level 1): about a
// tenth of their JSON (a 1 MB runbook's 4.2 MB of JSON becomes 0.4 MB), compressed in the parse
// worker in about 10 ms. The database then moves a tenth of the bytes on every write and read; on
// the embedded database its own compression of the JSON cost more than the whole deflate here.
// Rows written before migration 0015 hold the JSON as UTF-8 text: a zlib stream starts with 0x78,
// JSON with `{`.

const ZLIB_HEADER = 0x78;

export function deflateJson(json: string): Uint8Array {
  return deflateSync(json, { level: 1 });
}

/** The JSON value of a stored column: deflated, or UTF-8 text; bytes, or the `\x…` hex text form. */
export function inflateJson(stored: Uint8Array | string): unknown {
  const bytes = byteaBytes(stored);
  return JSON.parse((bytes[0] === ZLIB_HEADER ? inflateSync(bytes) : bytes).toString("utf8"));
}
