import "server-only";
import { asc, eq } from "drizzle-orm";
import { environments, environmentSurfaces, type EnvironmentSurface } from "@/db/schema";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { outboundUrl, type OutboundEnvironment, type OutboundTarget } from "@/lib/environments/outbound";
import { surfaceFor } from "@/lib/executions/http-step";
import type { HttpCall, Step } from "./parse";

// Runbooks are written against one place (the seeds: 127.0.0.1:8000); a step runs against the
// environment a person picks. The page shows each HTTP command with that environment's address,
// so what people read is where it will go.

export type EnvironmentAddresses = {
  id: string;
  name: string;
  production: boolean;
  /** Origins as the one outbound-URL function builds them (null when misconfigured). */
  control: string | null;
  runtime: string | null;
  environment: OutboundEnvironment;
  surfaces: EnvironmentSurface[];
};

/** The origin the console would send to, built by the same function the runner uses. */
function originFor(environment: OutboundEnvironment, target: OutboundTarget): string | null {
  try {
    return outboundUrl(environment, target, "/").origin;
  } catch {
    return null;
  }
}

/** Every environment with its API origins and surfaces, for the runbook page's picker. */
export async function listEnvironmentAddresses(ctx: Ctx): Promise<EnvironmentAddresses[]> {
  requirePermission(ctx.actor, "environments.read");
  const envs = await ctx.db.select().from(environments).orderBy(asc(environments.name));
  const surfaces = envs.length ? await ctx.db.select().from(environmentSurfaces).orderBy(asc(environmentSurfaces.position)) : [];
  return envs.map((e) => {
    const environment = { name: e.name, controlBaseUrl: e.controlBaseUrl, runtimeBaseUrl: e.runtimeBaseUrl };
    return {
      id: e.id,
      name: e.name,
      production: e.production,
      control: originFor(environment, { kind: "control" }),
      runtime: originFor(environment, { kind: "runtime" }),
      environment,
      surfaces: surfaces.filter((s) => s.environmentId === e.id),
    };
  });
}

/** Where an HTTP command goes in this environment (origin only), or null when the environment has no such place. */
export function addressFor(call: HttpCall, env: EnvironmentAddresses): string | null {
  if (call.api === "control") return env.control;
  if (call.api === "runtime") return env.runtime;
  const surface = surfaceFor(env.surfaces, call.port);
  return surface ? originFor(env.environment, { kind: "surface", surface }) : null;
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
