import { servePublic } from "@/lib/status/serve";

export const dynamic = "force-dynamic";

/** One incident's public page with all its published updates. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  return servePublic(request, "html", (docs) => docs.incidentPage(id));
}
