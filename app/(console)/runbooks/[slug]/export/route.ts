import { withRoute } from "@/lib/http/route-guard";
import { exportRunbookMarkdown } from "@/lib/runbooks";

// Downloads the markdown of a runbook (current revision, or ?revision=N) with the recorded
// Validation Log rows appended.
export const GET = withRoute<{ slug: string }>({ permission: "runbooks.read", name: "runbooks.export" }, async (request, ctx, params) => {
  const raw = request.nextUrl.searchParams.get("revision");
  const revision = raw && /^\d{1,6}$/.test(raw) ? Number(raw) : undefined;
  const exported = await exportRunbookMarkdown(ctx, params.slug, revision);
  return new Response(exported.markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exported.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
});
