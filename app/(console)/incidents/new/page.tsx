import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { listAssignableUsers, listSevDefinitions, surfaceSuggestions } from "@/lib/incidents";
import { DeclareForm } from "../_components/declare-form";

export const metadata: Metadata = { title: "Declare incident" };

export default async function DeclarePage() {
  const ctx = await pageContext("incidents.declare", "/incidents/new");
  if (!ctx) return <Forbidden what="declaring incidents" />;
  const [sevs, users, surfaces] = await Promise.all([listSevDefinitions(ctx), listAssignableUsers(ctx), surfaceSuggestions(ctx)]);
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">Declare incident</h1>
      <DeclareForm
        sevs={sevs.map(({ severity, name, description, responseExpectation }) => ({ severity, name, description, responseExpectation }))}
        users={users.filter((u) => u.role === "commander" || u.role === "admin").map(({ id, name, role }) => ({ id, name, role }))}
        surfaces={surfaces}
        currentUserId={ctx.actor.userId}
      />
    </div>
  );
}
