import { z } from "zod";

// Inputs of the environment writes. Also used by the CLI and the admin forms.

const name = z
  .string()
  .trim()
  .min(1, "Give it a name.")
  .max(60)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Lower-case letters, digits and dashes (e.g. staging-eu).");
const httpUrl = z
  .string()
  .trim()
  .url("Enter a full URL such as http://127.0.0.1:8000.")
  .refine((v) => /^https?:\/\//.test(v), "Only http and https URLs.")
  .transform((v) => v.replace(/\/+$/, ""));
// Accepts its own output (null) too: server actions parse once, lib/ parses again.
const optionalText = z
  .string()
  .trim()
  .max(500)
  .nullish()
  .transform((v) => (v === undefined || v === null || v === "" ? null : v));
const checkbox = z.preprocess((v) => {
  // A hidden "false" before a checkbox arrives as ["false", "on"] when ticked: the last value wins.
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last === true || last === "true" || last === "on" || last === "1";
}, z.boolean());

export const environmentKinds = ["reference", "drill", "staging", "production"] as const;

export const createEnvironmentSchema = z.object({
  name,
  kind: z.enum(environmentKinds),
  description: z.string().trim().max(500).default(""),
  controlBaseUrl: httpUrl,
  runtimeBaseUrl: httpUrl,
  production: checkbox.optional(),
  runtimeToken: optionalText,
  faultToken: optionalText,
});

export const updateEnvironmentSchema = z.object({
  id: z.string().uuid(),
  version: z.coerce.number().int().positive(),
  name: name.optional(),
  kind: z.enum(environmentKinds).optional(),
  description: z.string().trim().max(500).optional(),
  controlBaseUrl: httpUrl.optional(),
  runtimeBaseUrl: httpUrl.optional(),
  production: checkbox.optional(),
  // Secrets: undefined keeps the stored value, "" clears it.
  runtimeToken: z.string().trim().max(500).optional(),
  faultToken: z.string().trim().max(500).optional(),
  confirmProduction: checkbox.optional(),
});

export const removeEnvironmentSchema = z.object({ id: z.string().uuid(), confirmProduction: checkbox.optional() });

export const surfaceSchema = z.object({
  environmentId: z.string().uuid(),
  name: z.string().trim().min(1, "Give the surface a name.").max(80),
  unit: optionalText,
  command: optionalText,
  port: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().min(1).max(65535).optional()),
  healthUrl: httpUrl,
  hostHeader: optionalText,
  // "3101" or "3101, 3102": ports runbooks call this surface on (seed 001 uses 3101 for preview-1).
  runbookPorts: z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : (v ?? [])),
    z.array(z.coerce.number({ message: "Ports are numbers." }).int().min(1, "A port is 1-65535.").max(65535, "A port is 1-65535.")).max(10, "At most 10 ports."),
  ),
  group: z.string().trim().min(1).max(40).default("services"),
  position: z.coerce.number().int().min(0).max(1000).optional(),
  confirmProduction: checkbox.optional(),
});

export const removeSurfaceSchema = z.object({ id: z.string().uuid(), confirmProduction: checkbox.optional() });

export const agentSchema = z.object({
  environmentId: z.string().uuid(),
  name: z.string().trim().min(1, "Give the agent a name.").max(60),
  url: httpUrl,
  agentKey: z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, "The agent id: 1-64 letters, digits, '.', '_' or '-'."),
  secret: z.string().min(16, "The agent secret has at least 16 characters.").max(500),
  confirmProduction: checkbox.optional(),
});

export const removeAgentSchema = z.object({ id: z.string().uuid(), confirmProduction: checkbox.optional() });
