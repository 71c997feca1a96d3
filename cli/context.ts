import path from "node:path";
import { openDatabase, type Database } from "@/db/client";
import { env } from "@/lib/env";

/** Opens the configured database for one CLI command and closes it afterwards. */
export async function withDatabase<T>(run: (database: Database) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: path.join(env.dataDir, "pglite"), migrate: options.migrate });
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

/** Prints either JSON (for scripts) or the human text. */
export function output(json: boolean, data: unknown, text: string): void {
  process.stdout.write(json ? JSON.stringify(data, null, 2) + "\n" : text + "\n");
}

/** A failure the user caused or can fix: printed as one line, exit code 1. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
