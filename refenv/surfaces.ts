// The surfaces of the reference environment: seed 001's startup matrix plus the runtime API of
// seed 002. Exported so the console can register the `reference` environment's surfaces from it.

export const SURFACE_IDS = [
  "control-api",
  "runtime-api",
  "worker",
  "caddy",
  "web-main",
  "web-preview-1",
  "web-preview-2",
  "web-preview-3",
  "slot-backend-preview-1",
  "slot-backend-preview-2",
  "slot-backend-preview-3",
] as const;
export type SurfaceId = (typeof SURFACE_IDS)[number];

export type SurfaceDefinition = {
  id: SurfaceId;
  label: string;
  /** The unit or command that runs it on a real host (as in the startup matrix). */
  unit: string;
  defaultPort: number;
  /** Offset from `basePort` when the environment is started with one. */
  offset: number;
  /** Paths answering a health check on this surface. The first is the primary check. */
  healthPaths: string[];
  /** Host header the health check must send (Caddy routes by host). */
  hostHeader?: string;
};

export const SURFACES: readonly SurfaceDefinition[] = [
  { id: "control-api", label: "API (control)", unit: "ouroboros-api.service", defaultPort: 8000, offset: 0, healthPaths: ["/health"] },
  { id: "runtime-api", label: "Runtime API", unit: "oris-runtime.service", defaultPort: 8080, offset: 1, healthPaths: ["/healthz"] },
  { id: "worker", label: "Worker", unit: "ouroboros-worker.service", defaultPort: 8090, offset: 2, healthPaths: ["/health"] },
  {
    id: "caddy",
    label: "Caddy",
    unit: "ouroboros-caddy.service",
    defaultPort: 8088,
    offset: 3,
    healthPaths: ["/health"],
    hostHeader: "app.example.com",
  },
  { id: "web-main", label: "Web main", unit: "ouroboros-web@main.service", defaultPort: 3100, offset: 4, healthPaths: ["/health"] },
  ...([1, 2, 3] as const).map((n) => ({
    id: `web-preview-${n}` as SurfaceId,
    label: `Web preview-${n}`,
    unit: `ouroboros-web@preview${n}.service`,
    defaultPort: 3100 + n,
    offset: 4 + n,
    healthPaths: ["/health", "/api/health"],
  })),
  ...([1, 2, 3] as const).map((n) => ({
    id: `slot-backend-preview-${n}` as SurfaceId,
    label: `Slot backend preview-${n}`,
    unit: `scripts/preview-backend-runtime.sh start --slot preview-${n}`,
    defaultPort: 8100 + n,
    offset: 7 + n,
    healthPaths: ["/health"],
  })),
];

export function surface(id: SurfaceId): SurfaceDefinition {
  const found = SURFACES.find((s) => s.id === id);
  if (!found) throw new Error(`unknown surface ${id}`);
  return found;
}

/** Environment variable that overrides one surface's port, e.g. REFENV_PORT_CONTROL_API. */
export function portEnvName(id: SurfaceId): string {
  return `REFENV_PORT_${id.toUpperCase().replace(/-/g, "_")}`;
}
