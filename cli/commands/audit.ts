import type { Command } from "commander";
import { verifyAuditChain } from "@/lib/audit";
import { CliError, output, withDatabase } from "../context";

export function register(program: Command) {
  const audit = program.command("audit").description("the append-only audit trail");
  audit
    .command("verify")
    .description("walk the hash chain and name the first altered or missing entry")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const verdict = await withDatabase(({ db }) => verifyAuditChain(db));
      if (verdict.ok) {
        output(!!opts.json, verdict, `Audit chain verified: ${verdict.entries} entries, head ${verdict.headHash.slice(0, 16)}…`);
        return;
      }
      if (opts.json) output(true, verdict, "");
      throw new CliError(`Audit chain broken at entry ${verdict.brokenSeq}: ${verdict.reason}`, 2);
    });
}
