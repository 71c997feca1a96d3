import { describe, expect, it } from "vitest";
import { deflateJson, inflateJson } from "./deflated-json";

describe("deflated JSON columns", () => {
  const value = { steps: [{ id: "diagnosis-1", source: "kubectl -n $NAMESPACE get pods" }], note: "ünïcode ✓" };

  it("read back what was written, at a fraction of the size for repetitive JSON", () => {
    const json = JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => ({ ...value, i })) });
    const bytes = deflateJson(json);
    expect(bytes.byteLength).toBeLessThan(json.length / 10);
    expect(inflateJson(bytes)).toEqual(JSON.parse(json));
  });

  it("read rows written before as UTF-8 JSON, as bytes or as the `\\x…` hex text", () => {
    const utf8 = new TextEncoder().encode(JSON.stringify(value));
    expect(inflateJson(utf8)).toEqual(value);
    expect(inflateJson(`\\x${Buffer.from(utf8).toString("hex")}`)).toEqual(value);
    expect(inflateJson(`\\x${Buffer.from(deflateJson(JSON.stringify(value))).toString("hex")}`)).toEqual(value);
  });
});
