import { servePublic } from "@/lib/status/serve";

export const dynamic = "force-dynamic";

/** Atom feed of published updates, newest first. */
export function GET(request: Request) {
  return servePublic(request, "atom", (docs) => docs.atom);
}
