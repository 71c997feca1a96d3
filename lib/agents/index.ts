import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { agents, type Agent } from "@/db/schema";
import { createAgentClient, type AgentClient, type AgentHealth } from "@/agent/client";
import { UpstreamError } from "@/lib/errors";

export { AgentLostError, AgentRejectedError, AgentTimeoutError, AgentUnreachableError, type ExecEvent, type ExecPlan } from "@/agent/client";

// The console's side of a host agent: a signed client built from the stored row (the secret never
// leaves the server), and a health check that records when the agent was last seen.

export function agentClient(agent: Pick<Agent, "url" | "agentKey" | "secret">, options: { idleTimeoutMs?: number } = {}): AgentClient {
  return createAgentClient({ url: agent.url, agentId: agent.agentKey, secret: agent.secret, connectTimeoutMs: 10_000, ...options });
}

export type AgentCheck = { ok: true; health: AgentHealth } | { ok: false; error: string };

/** Asks the agent for its health and stores the outcome (last seen, allowlist summary, error). */
export async function checkAgent(db: Db, agent: Agent): Promise<AgentCheck> {
  try {
    const health = await agentClient(agent).health();
    await db
      .update(agents)
      .set({
        lastSeenAt: new Date(),
        lastError: null,
        allowlistSummary: { programs: health.programs, placeholders: health.placeholders, workingDirectory: health.workingDirectory, version: health.version },
      })
      .where(eq(agents.id, agent.id));
    return { ok: true, health };
  } catch (error) {
    const message = error instanceof UpstreamError ? error.message : `host agent check failed: ${(error as Error).message}`;
    await db.update(agents).set({ lastError: message }).where(eq(agents.id, agent.id));
    return { ok: false, error: message };
  }
}
