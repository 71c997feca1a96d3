import { connection, NextResponse } from "next/server";
import { getDatabase } from "@/db/client";
import { migrationState } from "@/db/migrate";
import { version } from "@/package.json";
import { supervisorReport } from "@/lib/supervision";

// Public on purpose (load balancers and the e2e web server poll it); it reveals no data.
export async function GET() {
  await connection();
  // Siblings under `npm start`: which are restarting or crash-looping (names only). The console
  // itself still answers, so this never turns the status code red on its own.
  const report = supervisorReport();
  const processes = report.supervised ? { status: report.status, crashLooping: report.crashLooping, restarting: report.restarting } : undefined;
  try {
    const database = await getDatabase();
    const migrations = await migrationState(database);
    const ok = migrations.pending === 0;
    return NextResponse.json(
      {
        status: ok && (!processes || processes.status === "ok") ? "ok" : "degraded",
        version,
        database: { driver: database.driver, reachable: true },
        migrations,
        processes,
        reason: !ok ? "migrations pending" : processes?.crashLooping.length ? `crash loop: ${processes.crashLooping.join(", ")}` : processes?.restarting.length ? `restarting: ${processes.restarting.join(", ")}` : undefined,
      },
      { status: ok ? 200 : 503 },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return NextResponse.json({ status: "down", version, database: { reachable: false }, processes, reason }, { status: 503 });
  }
}
