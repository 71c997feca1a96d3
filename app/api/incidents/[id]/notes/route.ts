import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { jsonBody } from "@/lib/incidents/http";
import { addNote } from "@/lib/incidents";

/** Adds a timeline note from JSON {body, occurredAt?}. */
export const POST = withRoute<{ id: string }>({ permission: "incidents.note", name: "POST /api/incidents/[id]/notes" }, async (request, ctx, params) => {
  const body = await jsonBody(request);
  return NextResponse.json(await addNote(ctx, { ...body, incidentId: params.id }), { status: 201 });
});
