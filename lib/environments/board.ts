import "server-only";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { HEALTH_POLL_INTERVAL_MS } from "./health";
import { getEnvironmentDetail, recentHealthChanges } from "./queries";

export type BoardSurface = {
  id: string;
  name: string;
  group: string;
  unit: string | null;
  port: number | null;
  healthUrl: string;
  hostHeader: string | null;
  state: "unknown" | "up" | "down";
  status: number | null;
  latencyMs: number | null;
  error: string | null;
  checkedAt: string | null;
  changedAt: string | null;
};
export type Board = {
  environment: { id: string; name: string; kind: string; production: boolean };
  intervalMs: number;
  surfaces: BoardSurface[];
  changes: { id: number; at: string; surface: string; from: string; to: string; httpStatus: number | null; error: string | null }[];
};

/** The health board of one environment, as plain JSON for the page and its polling. */
export async function getBoard(ctx: Ctx, name: string): Promise<Board> {
  requirePermission(ctx.actor, "environments.read");
  const { environment, surfaces } = await getEnvironmentDetail(ctx, name);
  const changes = await recentHealthChanges(ctx.db, environment.id);
  return {
    environment: { id: environment.id, name: environment.name, kind: environment.kind, production: environment.production },
    intervalMs: HEALTH_POLL_INTERVAL_MS,
    surfaces: surfaces.map((s) => ({
      id: s.id,
      name: s.name,
      group: s.group,
      unit: s.unit ?? s.command,
      port: s.port,
      healthUrl: s.healthUrl,
      hostHeader: s.hostHeader,
      state: s.state,
      status: s.lastStatus,
      latencyMs: s.lastLatencyMs,
      error: s.lastError,
      checkedAt: s.lastCheckedAt?.toISOString() ?? null,
      changedAt: s.lastChangeAt?.toISOString() ?? null,
    })),
    changes: changes.map((c) => ({ ...c, at: c.at.toISOString() })),
  };
}
