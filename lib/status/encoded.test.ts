import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { chooseEncoding, encodeBody } from "./encoded";

describe("precompressed public documents", () => {
  const text = "<p>All systems operational</p>\n".repeat(100);
  const body = encodeBody(text);

  it("keeps every encoding equal to the text", () => {
    expect(Buffer.from(body.identity).toString("utf8")).toBe(text);
    expect(zlib.gunzipSync(body.gzip!).toString("utf8")).toBe(text);
    expect(zlib.brotliDecompressSync(body.br!).toString("utf8")).toBe(text);
  });

  it("chooses what the client accepts, preferring brotli", () => {
    expect(chooseEncoding("gzip, deflate, br", body)).toBe("br");
    expect(chooseEncoding("gzip, deflate", body)).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip;q=0.5", body)).toBe("gzip");
    expect(chooseEncoding("*", body)).toBe("br");
    expect(chooseEncoding("identity", body)).toBe("identity");
    expect(chooseEncoding(null, body)).toBe("identity");
    expect(chooseEncoding("br;q=0.1, gzip;q=1", body)).toBe("gzip");
    expect(chooseEncoding("gzip ;q=0, br ; q=0", body)).toBe("identity");
    expect(chooseEncoding("*;q=0.5, br;q=0", body)).toBe("gzip");
  });

  it("leaves small bodies alone", () => {
    expect(chooseEncoding("gzip, br", encodeBody("{}"))).toBe("identity");
  });
});
