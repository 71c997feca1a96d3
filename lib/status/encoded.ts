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
    br: own(zlib.brotliCompressSync(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength } })),
  };
}

/** Picks the best encoding the client accepts (q=0 refuses one), as RFC 9110 §12.5.3 describes. */
export function chooseEncoding(acceptEncoding: string | null, body: EncodedBody): Encoding {
  if (!acceptEncoding || !body.gzip) return "identity";
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const allows = (name: Encoding) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (body.br && allows("br")) return "br";
  if (allows("gzip")) return "gzip";
  return "identity";
}
