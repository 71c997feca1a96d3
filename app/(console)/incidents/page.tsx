import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { Providers } from "@/app/_components/providers";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listAssignableUsers, listIncidents, surfaceSuggestions } from "@/lib/incidents";
import { IncidentList } from "./_components/incident-list";

export const metadata: Metadata = { title: "Incidents" };

const pick = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("incidents.read", "/incidents");
  if (!ctx) return <Forbidden what="incidents" />;
  const sp = await searchParams;
  const filters = { status: pick(sp.status), severity: pick(sp.severity), commanderId: pick(sp.commanderId), surface: pick(sp.surface), q: pick(sp.q) };
  const [initial, users, surfaces] = await Promise.all([
    listIncidents(ctx, filters).catch(() => listIncidents(ctx, {})),
    listAssignableUsers(ctx),
    surfaceSuggestions(ctx),
  ]);
  return (
    <div className="max-w-6xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Incidents</h1>
        <div className="flex gap-2">
          {can(ctx.actor.role, "incidents.configure") && <Link href="/incidents/settings" className="btn">Severities &amp; checklists</Link>}
        </div>
      </div>
      <Providers>
        <IncidentList
          initial={initial}
          initialFilters={filters}
          commanders={users.filter((u) => u.role === "commander" || u.role === "admin").map(({ id, name }) => ({ id, name }))}
          surfaces={surfaces}
        />
      </Providers>
    </div>
  );
}
