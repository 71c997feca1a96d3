import { describe, expect, it } from "vitest";
import { joinOutbound, outboundUrl, OutboundUrlError, pathProblem } from "./outbound";

// The one outbound-URL function on its own: what it builds, and every way a path could try to
// leave the configured origin. The step runner's end-to-end refusal is in lib/executions/ssrf.test.ts.

const environment = { name: "staging", controlBaseUrl: "http://10.0.0.5:8000", runtimeBaseUrl: "https://runtime.example/api/" };

describe("outboundUrl", () => {
  it("joins a path to each kind of configured base", () => {
    expect(outboundUrl(environment, { kind: "control" }, "/api/runs/abc/resume").toString()).toBe("http://10.0.0.5:8000/api/runs/abc/resume");
    expect(outboundUrl(environment, { kind: "runtime" }, "/v1/jobs?limit=20").toString()).toBe("https://runtime.example/api/v1/jobs?limit=20");
    const surface = { name: "Web preview-1", healthUrl: "http://127.0.0.1:3101/health" };
    expect(outboundUrl(environment, { kind: "surface", surface }, "/api/health").toString()).toBe("http://127.0.0.1:3101/api/health");
    expect(outboundUrl(null, { kind: "webhook", url: "https://hooks.example/in?token=abc" }, "").toString()).toBe("https://hooks.example/in?token=abc");
  });

  it("keeps encoded placeholder values inside one path segment", () => {
    expect(outboundUrl(environment, { kind: "control" }, `/api/slots/${encodeURIComponent("preview-1")}/release`).pathname).toBe("/api/slots/preview-1/release");
  });

  const attacks = [
    ["a second origin after //", "//127.0.0.1:9999/x"],
    ["an absolute URL as the path", "http://127.0.0.1:9999/x"],
    ["an https URL as the path", "https:127.0.0.1:9999/x"],
    ["a user-info @", "@127.0.0.1:9999/x"],
    ["an @ inside the path", "/x@127.0.0.1:9999/"],
    ["backslashes", "\\\\127.0.0.1:9999/x"],
    ["a backslash after the slash", "/\\127.0.0.1:9999/x"],
    ["percent-encoded slashes", "/%2f%2f127.0.0.1:9999/x"],
    ["upper-case percent-encoded slashes", "/%2F%2F127.0.0.1:9999/x"],
    ["double percent-encoding", "/%252f%252f127.0.0.1:9999/x"],
    ["percent-encoded backslashes", "/%5c%5c127.0.0.1:9999/x"],
    ["a percent-encoded @", "/x%40127.0.0.1:9999"],
    ["a dot-dot segment", "/api/../../admin"],
    ["an encoded dot-dot segment", "/api/%2e%2e/admin"],
    ["a tab", "/\t/127.0.0.1:9999/x"],
    ["a newline (header injection)", "/x\r\nHost: evil"],
    ["an encoded newline", "/x%0d%0aHost:%20evil"],
    ["a NUL byte", "/x\u0000y"],
    ["a malformed escape", "/x%zz"],
    ["no leading slash", "127.0.0.1:9999/x"],
  ] as const;

  for (const [name, path] of attacks) {
    it(`refuses ${name}`, () => {
      expect(pathProblem(path)).not.toBeNull();
      expect(() => outboundUrl(environment, { kind: "control" }, path)).toThrow(OutboundUrlError);
      expect(() => outboundUrl(environment, { kind: "control" }, path)).toThrow(/Refused to send a request outside the control API of staging \(http:\/\/10\.0\.0\.5:8000\)/);
    });
  }

  it("refuses a path that would climb above a base path", () => {
    expect(() => joinOutbound("https://gw.example/runtime", "/../control/x", "runtime API")).toThrow(OutboundUrlError);
    expect(joinOutbound("https://gw.example/runtime", "/healthz", "runtime API").toString()).toBe("https://gw.example/runtime/healthz");
  });

  it("refuses configured bases that are not plain http(s) URLs", () => {
    expect(() => joinOutbound("file:///etc/passwd", "", "webhook URL")).toThrow(/http or https/);
    expect(() => joinOutbound("http://user:pw@10.0.0.5/", "/x", "control API")).toThrow(/user name or password/);
    expect(() => joinOutbound("not a url", "/x", "control API")).toThrow(/not a URL/);
  });

  it("allows ordinary queries", () => {
    expect(pathProblem("/v1/audit/logs?limit=20&since=2026-01-01T00:00:00Z")).toBeNull();
    expect(pathProblem("/redirect?next=http%3A%2F%2Fexample.org")).toBeNull();
  });
});

describe("no other place resolves text against a base URL", () => {
  it("finds no new URL(x, base) outside outbound.ts except over a fixed literal path", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) {
          const text = fs.readFileSync(full, "utf8");
          // Two arguments whose first is not a string literal: user text resolved against a base.
          for (const m of text.matchAll(/new URL\(\s*([^,()]+?)\s*,/g)) if (!/^["'`][^$]*["'`]$/.test(m[1])) offenders.push(`${full}: ${m[0]}`);
        }
      }
    };
    for (const dir of ["lib", "app", "agent", "cli", "scripts"]) walk(path.resolve(process.cwd(), dir));
    // The two servers parse their own incoming request line (never sent anywhere).
    expect(offenders.filter((o) => !/agent\/index\.ts: new URL\(req\.url \?\? "\/",/.test(o))).toEqual([]);
  });
});
