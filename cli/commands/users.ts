import type { Command } from "commander";
import { systemActor } from "@/lib/actor";
import { createUser, listUsers } from "@/lib/auth/users";
import { generatePassword } from "@/lib/auth/password";
import { resetPassword, unlockSignIns } from "@/lib/auth/account-recovery";
import { output, withDatabase } from "../context";

export function register(program: Command) {
  const users = program.command("users").description("manage console accounts");
  users
    .command("create")
    .description("create a local account")
    .requiredOption("--email <email>", "sign-in email")
    .requiredOption("--role <role>", "admin | commander | responder | viewer")
    .option("--name <name>", "display name (defaults to the email's local part)")
    .option("--password <password>", "initial password (generated and printed when omitted)")
    .option("--json", "machine-readable output")
    .action(async (opts: { email: string; role: string; name?: string; password?: string; json?: boolean }) => {
      const password = opts.password ?? generatePassword();
      const user = await withDatabase(({ db }) =>
        createUser({ actor: systemActor(), db }, { email: opts.email, role: opts.role, name: opts.name ?? opts.email.split("@")[0], password }),
      );
      const shown = opts.password ? undefined : password;
      output(
        !!opts.json,
        { id: user.id, email: user.email, role: user.role, generatedPassword: shown },
        `Created ${user.role} ${user.email} (${user.id}).${shown ? `\nPassword: ${shown}` : ""}`,
      );
    });
  users
    .command("reset-password")
    .description("set a new password (generated and printed when omitted); ends the user's sessions and clears sign-in waits")
    .requiredOption("--email <email>", "the account")
    .option("--password <password>", "the new password (at least 12 characters)")
    .option("--json", "machine-readable output")
    .action(async (opts: { email: string; password?: string; json?: boolean }) => {
      const password = opts.password ?? generatePassword();
      const user = await withDatabase(({ db }) => resetPassword({ actor: systemActor(), db }, { email: opts.email, password }));
      const shown = opts.password ? undefined : password;
      output(!!opts.json, { ...user, generatedPassword: shown }, `Reset the password of ${user.email}; their sessions have ended.${shown ? `\nPassword: ${shown}` : ""}`);
    });
  users
    .command("unlock")
    .description("clear the sign-in waits of an account (from every address)")
    .requiredOption("--email <email>", "the account")
    .option("--json", "machine-readable output")
    .action(async (opts: { email: string; json?: boolean }) => {
      const result = await withDatabase(({ db }) => unlockSignIns({ actor: systemActor(), db }, { email: opts.email }));
      output(!!opts.json, result, `Cleared ${result.cleared} sign-in wait${result.cleared === 1 ? "" : "s"} for ${result.email}.`);
    });
  users
    .command("list")
    .description("list accounts")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const rows = await withDatabase(({ db }) => listUsers({ actor: systemActor(), db }));
      const view = rows.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, disabled: !!u.disabledAt }));
      output(!!opts.json, view, view.map((u) => `${u.role.padEnd(10)} ${u.email}${u.disabled ? " (disabled)" : ""}`).join("\n") || "No users.");
    });
}
