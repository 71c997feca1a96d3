import type { Metadata } from "next";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listAssignableUsers, listSevDefinitions, surfaceSuggestions } from "@/lib/incidents";
import { DeclareForm } from "../_components/declare-form";

export const metadata: Metadata = { title: "Declare incident" };

export default async function DeclarePage() {
  const ctx = (await pageContext("incidents.declare", "/incidents/new"))!;
  const [sevs, users, surfaces] = await Promise.all([listSevDefinitions(ctx), listAssignableUsers(ctx), surfaceSuggestions(ctx)]);
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">Declare incident</h1>
      <p className="text-sm text-muted">Anyone on call declares as soon as they notice; the commander you name takes it from there and acknowledges.</p>
      <DeclareForm
        sevs={sevs.map(({ severity, name, description, responseExpectation }) => ({ severity, name, description, responseExpectation }))}
        users={users.filter((u) => can(u.role, "incidents.manage")).map(({ id, name, role }) => ({ id, name, role }))}
        surfaces={surfaces}
        currentUserId={ctx.actor.userId}
        canCommand={can(ctx.actor.role, "incidents.manage")}
      />
    </div>
  );
}
