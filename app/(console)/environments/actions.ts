"use server";

import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { addAgent, addSurface, createEnvironment, removeAgent, removeEnvironment, removeSurface, setFault, updateEnvironment } from "@/lib/environments";
import {
  agentSchema,
  createEnvironmentSchema,
  removeAgentSchema,
  removeEnvironmentSchema,
  removeSurfaceSchema,
  surfaceSchema,
  updateEnvironmentSchema,
} from "@/lib/environments/schemas";
import { setFaultSchema } from "@/lib/environments/faults";

const paths = ["/environments", "/environments/[name]"];

export const createEnvironmentAction = defineAction(
  { name: "createEnvironmentAction", schema: createEnvironmentSchema, permission: "environments.manage", revalidate: paths, successMessage: "Environment created." },
  (input, ctx) => createEnvironment(ctx, input),
);

export const updateEnvironmentAction = defineAction(
  { name: "updateEnvironmentAction", schema: updateEnvironmentSchema, permission: "environments.manage", revalidate: paths, successMessage: "Saved." },
  (input, ctx) => updateEnvironment(ctx, input),
);

export const removeEnvironmentAction = defineAction(
  { name: "removeEnvironmentAction", schema: removeEnvironmentSchema, permission: "environments.manage", revalidate: paths, redirectTo: () => "/environments" },
  (input, ctx) => removeEnvironment(ctx, input),
);

export const addSurfaceAction = defineAction(
  { name: "addSurfaceAction", schema: surfaceSchema, permission: "environments.manage", revalidate: paths, successMessage: "Surface added." },
  (input, ctx) => addSurface(ctx, input),
);

export const removeSurfaceAction = defineAction(
  { name: "removeSurfaceAction", schema: removeSurfaceSchema, permission: "environments.manage", revalidate: paths, successMessage: "Surface removed." },
  (input, ctx) => removeSurface(ctx, input),
);

export const addAgentAction = defineAction(
  { name: "addAgentAction", schema: agentSchema, permission: "environments.manage", revalidate: paths, successMessage: "Agent added." },
  (input, ctx) => addAgent(ctx, input),
);

export const removeAgentAction = defineAction(
  { name: "removeAgentAction", schema: removeAgentSchema, permission: "environments.manage", revalidate: paths, successMessage: "Agent removed." },
  (input, ctx) => removeAgent(ctx, input),
);

export const setFaultAction = defineAction(
  { name: "setFaultAction", schema: setFaultSchema, permission: "faults.manage", revalidate: paths, successMessage: "Fault switch flipped." },
  async (input, ctx) => {
    const faults = await setFault(ctx, input);
    return z.record(z.string(), z.unknown()).parse(faults);
  },
);
