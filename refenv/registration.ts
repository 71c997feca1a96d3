import { SURFACES, type SurfaceId } from "./surfaces";

// How the reference environment registers itself with a console, like any environment would: its
// APIs and every surface of seed 001's matrix, each with the port the seeds' runbooks call it on
// (so `curl http://127.0.0.1:3101/api/health` reaches Web preview-1 wherever it really listens).
// The shape is the console's registration document (lib/environments/registration.ts).

function groupOf(id: SurfaceId): string {
  if (id === "control-api" || id === "runtime-api") return "APIs";
  if (id === "worker") return "workers";
  if (id.startsWith("slot-backend")) return "slot backends";
  return "web";
}

export type ReferenceRegistration = {
  name: string;
  kind: "reference";
  description: string;
  controlBaseUrl: string;
  runtimeBaseUrl: string;
  faultToken?: string;
  surfaces: { name: string; key: string; unit?: string; command?: string; healthUrl: string; hostHeader?: string; group: string; runbookPorts: number[] }[];
  agent?: { url: string; agentId: string; secretFile: string };
};

export function referenceRegistration(
  running: { urls: Record<SurfaceId, string> },
  extra: { name?: string; faultToken?: string; agent?: ReferenceRegistration["agent"] } = {},
): ReferenceRegistration {
  return {
    name: extra.name ?? "reference",
    kind: "reference",
    description: "The reference environment started with Sitrep (refenv) and its local host agent.",
    controlBaseUrl: running.urls["control-api"],
    runtimeBaseUrl: running.urls["runtime-api"],
    ...(extra.faultToken ? { faultToken: extra.faultToken } : {}),
    surfaces: SURFACES.map((s) => ({
      name: s.label,
      key: s.id,
      ...(s.unit.endsWith(".service") ? { unit: s.unit } : { command: s.unit }),
      healthUrl: `${running.urls[s.id]}${s.healthPaths[0]}`,
      ...(s.hostHeader ? { hostHeader: s.hostHeader } : {}),
      group: groupOf(s.id),
      runbookPorts: [s.defaultPort],
    })),
    ...(extra.agent ? { agent: extra.agent } : {}),
  };
}
