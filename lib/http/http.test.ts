import { sql } from "drizzle-orm";
import { CredentialsSignin } from "next-auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { authLogger } from "@/lib/auth/auth-logger";
import { log, routeConsoleToLog, scrubText } from "@/lib/log";
import { createTestDb, type TestDatabase } from "@/lib/testing";
import { findUnsafeText } from "./input-text";
import { forgeryProblem } from "./same-origin";
import { errorView } from "./to-message";

// Issue 13 findings 7 and 8 on their own parts: the cross-site check every state-changing API route
// gets from the route guard, the input text check, and logs that carry no query parameters and are
// all JSON. The same checks over HTTP against a running console are in e2e/security.spec.ts.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.cleanup());

function captured(run: () => void | Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const grab = (chunk: unknown) => {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(grab);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(grab);
  return Promise.resolve(run()).then(
    () => (out.mockRestore(), err.mockRestore(), lines),
    (error) => {
      out.mockRestore();
      err.mockRestore();
      throw error;
    },
  );
}

const post = (headers: Record<string, string>) => new Request("http://console.test:3000/api/executions", { method: "POST", headers: { host: "console.test:3000", ...headers }, body: "{}" });

describe("cross-site requests", () => {
  it("refuses a text/plain body and a foreign Origin, with a reason", () => {
    expect(forgeryProblem(post({ "content-type": "text/plain", origin: "https://evil.example" }))).toMatch(/application\/json/);
    expect(forgeryProblem(post({ "content-type": "application/x-www-form-urlencoded" }))).toMatch(/application\/json/);
    // A string body without a type is sent as text/plain.
    expect(forgeryProblem(post({}))).toMatch(/"text\/plain"/);
    expect(forgeryProblem(post({ "content-type": "application/json", origin: "https://evil.example" }))).toMatch(/not this console's/);
    expect(forgeryProblem(post({ "content-type": "application/json", origin: "null" }))).not.toBeNull();
    expect(forgeryProblem(post({ "content-type": "application/json", "sec-fetch-site": "cross-site" }))).toMatch(/another site/);
  });

  it("lets the console's own pages and non-browser clients through", () => {
    expect(forgeryProblem(post({ "content-type": "application/json; charset=utf-8", origin: "http://console.test:3000" }))).toBeNull();
    expect(forgeryProblem(post({ "content-type": "application/json", "sec-fetch-site": "same-origin", origin: "http://console.test:3000" }))).toBeNull();
    expect(forgeryProblem(post({ "content-type": "application/json" }))).toBeNull();
  });
});

describe("input text", () => {
  it("finds NUL and unpaired surrogates in values and keys, and passes real text", () => {
    expect(findUnsafeText({ body: "note\u0000" }, "body")).toBe("body.body");
    expect(findUnsafeText({ items: ["ok", "\ud800x"] }, "body")).toBe("body.items[1]");
    expect(findUnsafeText({ ["k\u0000"]: "v" }, "body")).toBe("body (a field name)");
    expect(findUnsafeText({ emoji: "deploy 🚀 done", accents: "Größe" }, "body")).toBeNull();
    expect(findUnsafeText(JSON.parse('{"x":"\\ud83d"}'), "body")).toBe("body.x");
  });
});

describe("logs", () => {
  it("a failed query's parameters never reach the log", async () => {
    const secret = "whsec_super-secret-value-123";
    const failure = await t.db.execute(sql`select cast(${secret} as integer)`).catch((error: unknown) => error);
    expect(String((failure as Error).message)).toContain(secret); // the driver's own text has it…
    const lines = await captured(() => void errorView(failure, "req-12345678"));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: "error", event: "unexpected_error", requestId: "req-12345678" });
    expect(lines[0]).not.toContain(secret); // …the log line does not
    expect(lines[0]).toContain("params: [not logged]");
  });

  it("every line is JSON: Auth.js sign-in refusals, console output, errors as fields", async () => {
    const lines = await captured(() => {
      authLogger.error(new CredentialsSignin());
      routeConsoleToLogOnce();
      console.error("\u001b[31m⨯\u001b[39m Error: Failed query: insert into users values ($1)\nparams: hunter2-password");
      log.error("x", { error: new Error("Failed query: select 1\nparams: secret-1,secret-2") });
    });
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(JSON.parse(lines[0])).toMatchObject({ level: "info", event: "auth.sign_in_refused" });
    expect(lines.join("\n")).not.toMatch(/hunter2|secret-1|\u001b\[/);
    expect(scrubText("Failed query: x\nparams: a,b\n    at f (file.js:1:1)")).toBe("Failed query: x\nparams: [not logged]\n    at f (file.js:1:1)");
  });
});

// console is process-wide: route it once, and put the originals back after this file.
const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error };
let routed = false;
function routeConsoleToLogOnce() {
  if (!routed) routeConsoleToLog();
  routed = true;
}
afterAll(() => Object.assign(console, originals));
