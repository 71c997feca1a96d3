import { z } from "zod";
import { SURFACE_IDS, portEnvName, type SurfaceId } from "./surfaces";
import type { RefenvOptions } from "./index";

// The one place in refenv/ that reads process.env (the standalone entry point uses it).
const port = z.coerce.number().int().min(0).max(65535);
const optionalPort = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : port.parse(v)));
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));
const optionalPositive = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : z.coerce.number().int().positive().parse(v)));

export function refenvOptionsFromEnv(source: NodeJS.ProcessEnv = process.env): RefenvOptions {
  const base = z
    .object({
      REFENV_HOST: optionalText,
      REFENV_BASE_PORT: optionalPort,
      REFENV_ADMIN_TOKEN: optionalText,
      SITREP_REFENV_STATE: optionalText,
      REFENV_SLOT_LEASE_TTL_MS: optionalPositive,
      REFENV_TICK_MS: optionalPositive,
      REFENV_RUNTIME_OPERATOR_TOKEN: optionalText,
    })
    .parse(source);
  const ports: Partial<Record<SurfaceId, number>> = {};
  for (const id of SURFACE_IDS) {
    const value = optionalPort.parse(source[portEnvName(id)]);
    if (value !== undefined) ports[id] = value;
  }
  return {
    host: base.REFENV_HOST,
    basePort: base.REFENV_BASE_PORT,
    ports,
    adminToken: base.REFENV_ADMIN_TOKEN,
    stateDir: base.SITREP_REFENV_STATE,
    slotLeaseTtlMs: base.REFENV_SLOT_LEASE_TTL_MS,
    tickMs: base.REFENV_TICK_MS,
    runtimeOperatorToken: base.REFENV_RUNTIME_OPERATOR_TOKEN,
  };
}
