import { vi } from "vitest";
import { Command } from "commander";

// Test helper: runs `sitrep …` in-process with one command group registered, capturing what it
// prints. Errors come back as text, as a terminal would show them.
export function inProcessSitrep(register: () => (program: Command) => void) {
  return async (...args: string[]): Promise<{ ok: boolean; stdout: string; error?: string }> => {
    const program = new Command("sitrep").exitOverride();
    register()(program);
    let stdout = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    try {
      await program.parseAsync(["node", "sitrep", ...args]);
      return { ok: true, stdout };
    } catch (error) {
      return { ok: false, stdout, error: (error as Error).message };
    } finally {
      spy.mockRestore();
    }
  };
}
