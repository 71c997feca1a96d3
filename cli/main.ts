import { buildProgram } from "./index";

// Errors become one line on stderr and a non-zero exit; `--json` commands print JSON on stdout.
buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const err = error as { message?: string; exitCode?: number; fieldErrors?: Record<string, string[]> };
    const fields = err.fieldErrors ? Object.entries(err.fieldErrors).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ") : "";
    process.stderr.write(`sitrep: ${err.message ?? String(error)}${fields ? ` (${fields})` : ""}\n`);
    process.exit(err.exitCode && err.exitCode > 0 ? err.exitCode : 1);
  });
