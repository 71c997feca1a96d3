import { servePublic } from "@/lib/status/serve";

export const dynamic = "force-dynamic";

/** The machine-readable summary; its format is described in lib/status/README.md. */
export function GET(request: Request) {
  return servePublic(request, "json", (docs) => docs.json);
}
