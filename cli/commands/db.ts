import type { Command } from "commander";
import { migrationState } from "@/db/migrate";
import { output, withDatabase } from "../context";

export function register(program: Command) {
  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply pending migrations (the server also does this on start)")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const state = await withDatabase((database) => migrationState(database));
      output(!!opts.json, state, `Database is up to date: ${state.applied} migrations applied (latest ${state.latest}).`);
    });
  db.command("status")
    .description("show applied and pending migrations without changing anything")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const state = await withDatabase((database) => migrationState(database), { migrate: false });
      output(!!opts.json, state, `${state.applied} applied, ${state.pending} pending (of ${state.available}).`);
    });
}
