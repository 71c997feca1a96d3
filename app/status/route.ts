import { servePublic } from "@/lib/status/serve";

export const dynamic = "force-dynamic";

/** The public status page, served from the cached snapshot (see lib/status/README.md). */
export function GET(request: Request) {
  return servePublic(request, "html", (docs) => docs.html);
}
