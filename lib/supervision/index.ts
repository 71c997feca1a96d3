import "server-only";
import fs from "node:fs";
import { z } from "zod";
import { env } from "@/lib/env";

// What `npm start`'s supervisor (scripts/lib/supervisor.mjs) says about the processes it runs
// beside the console: read from its status file, so /api/health and the Overview can say that
// the reference environment or the host agent is restarting or stuck in a crash loop.

const childSchema = z.object({
  name: z.string(),
  label: z.string(),
  state: z.enum(["starting", "running", "restarting", "crash-loop", "stopped"]),
  pid: z.number().nullable(),
  since: z.string(),
  restarts: z.number(),
  recentExits: z.number(),
  lastExit: z.object({ code: z.number().nullable(), signal: z.string().nullable(), at: z.string() }).nullable(),
  nextStartAt: z.string().optional(),
});
const statusSchema = z.object({ pid: z.number(), updatedAt: z.string(), children: z.array(childSchema) });

export type SupervisedProcess = z.infer<typeof childSchema>;
export type SupervisorReport =
  | { supervised: false }
  | { supervised: true; status: "ok" | "restarting" | "crash-loop"; processes: SupervisedProcess[]; crashLooping: string[]; restarting: string[] };

/** The supervisor's latest word, or `supervised: false` when the console runs on its own. */
export function supervisorReport(file = env.SITREP_SUPERVISOR_STATUS): SupervisorReport {
  if (!file) return { supervised: false };
  let parsed: z.infer<typeof statusSchema>;
  try {
    parsed = statusSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return { supervised: false };
  }
  const processes = parsed.children;
  const crashLooping = processes.filter((p) => p.state === "crash-loop").map((p) => p.label);
  const restarting = processes.filter((p) => p.state === "restarting" || p.state === "starting").map((p) => p.label);
  return { supervised: true, status: crashLooping.length ? "crash-loop" : restarting.length ? "restarting" : "ok", processes, crashLooping, restarting };
}
