import "server-only";
import { asc, eq } from "drizzle-orm";
import { environments, environmentSurfaces } from "@/db/schema";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import type { HttpCall, Step } from "./parse";

// Runbooks are written against one place (the seeds: 127.0.0.1:8000); a step runs against the
// environment a person picks. The page shows each HTTP command with that environment's address,
// so what people read is where it will go.

export type EnvironmentAddresses = {
  id: string;
  name: string;
  production: boolean;
  control: string;
  runtime: string;
  /** Surfaces by the port a runbook names them with. */
  surfaces: Array<{ port: number; name: string; origin: string }>;
};

function origin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Every environment with its API origins and surfaces, for the runbook page's picker. */
export async function listEnvironmentAddresses(ctx: Ctx): Promise<EnvironmentAddresses[]> {
  requirePermission(ctx.actor, "environments.read");
  const envs = await ctx.db.select().from(environments).orderBy(asc(environments.name));
  const surfaces = envs.length ? await ctx.db.select().from(environmentSurfaces).orderBy(asc(environmentSurfaces.position)) : [];
  return envs.map((e) => ({
    id: e.id,
    name: e.name,
    production: e.production,
    control: origin(e.controlBaseUrl) ?? e.controlBaseUrl,
    runtime: origin(e.runtimeBaseUrl) ?? e.runtimeBaseUrl,
    surfaces: surfaces
      .filter((s) => s.environmentId === e.id && s.port !== null)
      .map((s) => ({ port: s.port!, name: s.name, origin: origin(s.healthUrl) ?? s.healthUrl })),
  }));
}

/** Where an HTTP command goes in this environment (origin only), or null when the environment has no such place. */
export function addressFor(call: HttpCall, env: EnvironmentAddresses): string | null {
  if (call.api === "control") return env.control;
  if (call.api === "runtime") return env.runtime;
  return env.surfaces.find((s) => s.port === call.port)?.origin ?? null;
}

/** The URL as written (`http://127.0.0.1:8000`) → origin as written, for replacing in the shown text. */
function writtenOrigin(call: HttpCall): string {
  const m = /^[a-z]+:\/\/[^/?#]+/i.exec(call.url);
  return m ? m[0] : call.url;
}

/** A command's text with its written address replaced by the environment's (display only). */
export function commandAsShown(source: string, call: HttpCall | undefined, env: EnvironmentAddresses | null): string {
  if (!call || !env) return source;
  const target = addressFor(call, env);
  return target ? source.split(writtenOrigin(call)).join(target) : source;
}

/** The step's commands with addresses as the environment's; also says which could not be placed. */
export function stepAsShown(step: Step, env: EnvironmentAddresses | null): Array<{ ordinal: number; text: string; address: string | null; unplaced: boolean }> {
  return step.commands.map((c) => {
    const address = c.http && env ? addressFor(c.http, env) : null;
    return { ordinal: c.ordinal, text: commandAsShown(c.source, c.http, env), address, unplaced: !!c.http && !!env && !address };
  });
}
