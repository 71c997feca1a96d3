import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as incidentSchemas from "@/lib/incidents/schemas";
import { eventKindLabel, fieldLabel } from "./labels";
import { plainMessage } from "./validation-messages";

// What the action wrapper (define-action.ts) shows for invalid input: one test per mapped zod
// message, then every incident form's schema fed bad input, none of which may come out as zod's
// own wording.

const messageFor = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input, { error: plainMessage });
  if (parsed.success) throw new Error("expected a validation failure");
  return parsed.error.issues.map((i) => i.message);
};
const one = (field: z.ZodType, value: unknown, key = "title") => messageFor(z.object({ [key]: field }), { [key]: value })[0];

describe("zod messages mapped to plain sentences", () => {
  it("too long text: the field and the limit", () => expect(one(z.string().max(200), "x".repeat(201))).toBe("Title: at most 200 characters"));
  it("too short text", () => expect(one(z.string().min(3), "ab")).toBe("Title: at least 3 characters"));
  it("empty required text", () => expect(one(z.string().min(1), "")).toBe("Title: required"));
  it("missing field", () => expect(one(z.string(), undefined)).toBe("Title: required"));
  it("not a number", () => expect(one(z.coerce.number(), "abc", "limit")).toBe("Limit: enter a number"));
  it("wrong type", () => expect(one(z.boolean(), "maybe", "done")).toBe("Done: choose yes or no"));
  it("number too big", () => expect(one(z.number().max(500), 501, "limit")).toBe("Limit: at most 500"));
  it("number too small, exclusive", () => expect(one(z.number().positive(), 0, "version")).toBe("Version: at least 1"));
  it("list too long", () => expect(one(z.array(z.string()).max(2), ["a", "b", "c"], "surfaces")).toBe("Affected surfaces: at most 2 items"));
  it("empty list", () => expect(one(z.array(z.string()).min(1), [], "items")).toBe("Items: choose at least one"));
  it("an item of a list names the list", () => expect(one(z.array(z.string().max(3)), ["abcd"], "surfaces")).toBe("Affected surfaces: at most 3 characters"));
  it("not one of the choices", () => expect(one(z.enum(["SEV1", "SEV2", "SEV3"]), "SEV9", "severity")).toBe("Severity: choose one of SEV1, SEV2, SEV3"));
  it("not the one allowed value", () => expect(one(z.literal("yes"), "no", "confirm")).toBe("Confirm: must be yes"));
  it("not an id from the list", () => expect(one(z.string().uuid(), "x", "commanderId")).toBe("Commander: choose one from the list"));
  it("not an email", () => expect(one(z.string().email(), "nobody", "email")).toBe("Email: enter an email address such as name@example.com"));
  it("not a web address", () => expect(one(z.string().url(), "nope", "url")).toBe("Url: enter a web address starting with https://"));
  it("not matching a pattern", () => expect(one(z.string().regex(/^a/), "b", "slug")).toBe("Slug: not in the expected form"));
  it("not a prefix", () => expect(one(z.string().startsWith("INC-"), "x", "ref")).toBe("Ref: must start with “INC-”"));
  it("not a multiple", () => expect(one(z.number().multipleOf(5), 7, "minutes")).toBe("Minutes: must be a multiple of 5"));
  it("unknown fields", () => expect(messageFor(z.strictObject({ a: z.string() }), { a: "x", extra: 1 })[0]).toBe("Unexpected field extra"));
  it("an invalid date", () => expect(one(z.coerce.date(), "not a date", "detectedAt")).toBe("Detected at: enter a valid date and time"));
  it("a schema's own wording wins", () => expect(one(z.string().min(3, "Give the incident a title of at least 3 characters."), "x")).toBe("Give the incident a title of at least 3 characters."));
});

describe("no raw zod text from the incident forms", () => {
  const raw = /Too big|Too small|Invalid input|Invalid option|expected (string|number|one of)|received/;
  const badInputs: unknown[] = [{}, { title: "x".repeat(500), severity: "SEV9", surfaces: ["y".repeat(100)], summary: "z".repeat(6000), incidentId: "nope", version: "abc", body: "b".repeat(30_000), seq: -1, reason: "r".repeat(3000), label: "l".repeat(200), to: "sideways" }];
  for (const [name, schema] of Object.entries(incidentSchemas)) {
    if (!(schema instanceof z.ZodType)) continue;
    it(name, () => {
      for (const input of badInputs) {
        const parsed = schema.safeParse(input, { error: plainMessage });
        for (const issue of parsed.success ? [] : parsed.error.issues) expect(issue.message).not.toMatch(raw);
      }
    });
  }
});

describe("labels", () => {
  it("names every field and event kind in words", () => {
    expect(fieldLabel("commanderId")).toBe("Commander");
    expect(fieldLabel("surfaces.0")).toBe("Affected surfaces");
    expect(eventKindLabel("evidence.captured")).toBe("Evidence captured");
    expect(eventKindLabel("status.update_published")).toBe("Public update");
    expect(eventKindLabel("drill.completed")).toBe("Drill completed");
  });
});
