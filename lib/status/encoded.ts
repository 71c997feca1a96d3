import zlib from "node:zlib";

// Public documents are compressed once per rendered snapshot, not once per request: under load
// per-request gzip was the largest single cost of serving the status page.

export type Encoding = "br" | "gzip" | "identity";
export type EncodedBody = { identity: Bytes; gzip?: Bytes; br?: Bytes };
type Bytes = Uint8Array<ArrayBuffer>;

/** A copy on its own ArrayBuffer (Buffers may share a pooled one), which Response accepts as is. */
const own = (buffer: Buffer): Bytes => new Uint8Array(buffer);

/** Below this size compression is not worth a header. */
const MIN_BYTES = 512;

export function encodeBody(text: string): EncodedBody {
  const identity = own(Buffer.from(text, "utf8"));
  if (identity.byteLength < MIN_BYTES) return { identity };
  return {
    identity,
    gzip: own(zlib.gzipSync(identity, { level: 9 })),
    br: own(zlib.brotliCompressSync(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength } })),
  };
}

/**
 * Picks the encoding the client prefers (RFC 9110 §12.5.3): the highest q wins, q=0 refuses,
 * "*" stands for the unnamed ones, and brotli wins a tie (it is the smaller).
 */
export function chooseEncoding(acceptEncoding: string | null, body: EncodedBody): Encoding {
  if (!acceptEncoding || !body.gzip) return "identity";
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name, ...params] = part.split(";").map((p) => p.trim());
    if (!name) continue;
    const q = params.find((p) => p.startsWith("q="));
    const value = q ? Number(q.slice(2)) : 1;
    accepted.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (name: Encoding) => accepted.get(name) ?? accepted.get("*") ?? 0;
  const candidates: Encoding[] = body.br ? ["br", "gzip"] : ["gzip"];
  let best: Encoding = "identity";
  let bestQ = 0;
  for (const c of candidates) {
    if (weight(c) > bestQ) {
      best = c;
      bestQ = weight(c);
    }
  }
  return best;
}
