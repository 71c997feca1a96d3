import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { PublicUpdatesPanel } from "../../_components/public-updates-panel";

export const metadata: Metadata = { title: "Public updates" };

/** The comms view of one incident: only its public updates, for whoever speaks to stakeholders. */
export default async function IncidentPublicUpdatesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext("incidents.read", "/status-admin/incidents");
  if (!ctx) return <Forbidden what="this incident" />;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  return (
    <div className="max-w-4xl space-y-4">
      <p><Link href="/status-admin" className="underline">← Status page</Link></p>
      <PublicUpdatesPanel incidentId={id} />
    </div>
  );
}
