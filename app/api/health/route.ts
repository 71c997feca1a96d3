import { connection, NextResponse } from "next/server";
import { getDatabase } from "@/db/client";
import { migrationState } from "@/db/migrate";
import { version } from "@/package.json";

// Public on purpose (load balancers and the e2e web server poll it); it reveals no data.
export async function GET() {
  await connection();
  try {
    const database = await getDatabase();
    const migrations = await migrationState(database);
    const ok = migrations.pending === 0;
    return NextResponse.json(
      { status: ok ? "ok" : "degraded", version, database: { driver: database.driver, reachable: true }, migrations, reason: ok ? undefined : "migrations pending" },
      { status: ok ? 200 : 503 },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return NextResponse.json({ status: "down", version, database: { reachable: false }, reason }, { status: 503 });
  }
}
