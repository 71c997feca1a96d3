import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { NotFoundError } from "@/lib/errors";
import { getReviewDetail, reviewJson, reviewMarkdown, timelineCsv } from "@/lib/reviews";

// GET /incidents/INC-7/review/export/{md|json|csv}: the same permission rules as the page
// (viewers get published reviews only).
export const GET = withRoute<{ ref: string; format: string }>({ permission: "reviews.read", name: "review.export" }, async (_request, ctx, params) => {
  if (!["md", "json", "csv"].includes(params.format)) throw new NotFoundError("Export as md, json or csv.");
  const detail = await getReviewDetail(ctx, params.ref);
  const base = `${detail.incident.ref.toLowerCase()}-review`;
  if (params.format === "json") {
    return NextResponse.json(reviewJson(detail), { headers: { "Content-Disposition": `attachment; filename="${base}.json"` } });
  }
  const [body, type, ext] =
    params.format === "md" ? [reviewMarkdown(detail), "text/markdown; charset=utf-8", "md"] : [timelineCsv(detail.timeline), "text/csv; charset=utf-8", "csv"];
  return new Response(body, { headers: { "Content-Type": type, "Content-Disposition": `attachment; filename="${base}-${ext === "csv" ? "timeline" : "export"}.${ext}"` } });
});
