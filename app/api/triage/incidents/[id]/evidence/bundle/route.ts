import { withRoute } from "@/lib/http/route-guard";
import { buildBundle } from "@/lib/evidence";

export const GET = withRoute<{ id: string }>({ permission: "incidents.read", name: "evidence.download" }, async (_request, ctx, { id }) => {
  const bundle = await buildBundle(ctx, id);
  return new Response(new Uint8Array(bundle.bytes), {
    headers: {
      "content-type": "application/x-tar",
      "content-disposition": `attachment; filename="${bundle.filename}"`,
      "cache-control": "no-store",
    },
  });
});
