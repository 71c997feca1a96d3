import { describe, expect, it, vi } from "vitest";

// Next loads a module once per bundle layer (pages, actions, route handlers); a singleton kept on
// globalThis (the parse pool) throws errors made by one copy that another copy must recognise.
describe("typed errors across module copies", () => {
  it("an error from one copy of lib/errors is instanceof the same class of another copy, and only of that", async () => {
    const first = await import("./errors");
    vi.resetModules();
    const second = await import("./errors");
    expect(second.ValidationError).not.toBe(first.ValidationError);

    const error = new first.ValidationError("Title: at most 200 characters");
    expect(error).toBeInstanceOf(second.ValidationError);
    expect(error).toBeInstanceOf(second.AppError);
    expect(error).not.toBeInstanceOf(second.ConflictError);
    expect(second.isAppError(error)).toBe(true);
    expect(error.name).toBe("ValidationError");
    expect(new Error("plain")).not.toBeInstanceOf(second.AppError);
    expect(null).not.toBeInstanceOf(second.AppError);
  });

  it("a runbook parse error from the parse pool's copy keeps its code and message for the importer's copy", async () => {
    const first = await import("./runbooks/parse/errors");
    vi.resetModules();
    const second = await import("./runbooks/parse/errors");
    const error = new first.RunbookParseError("line 1 is 200,001 characters long", "line-too-long", "brackets.md");
    expect(error).toBeInstanceOf(second.RunbookParseError);
    expect(error.name).toBe("RunbookParseError");
    expect(String(error)).toBe("RunbookParseError: brackets.md: line 1 is 200,001 characters long");
  });
});
