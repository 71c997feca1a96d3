import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { listDeliveries } from "@/lib/status";

export const metadata: Metadata = { title: "Webhook deliveries" };
const utc = (d: Date | null) => (d ? d.toISOString().slice(0, 19).replace("T", " ") + " UTC" : "");

export default async function WebhookDeliveriesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext("status.manage", "/status-admin/webhooks");
  if (!ctx) return <Forbidden what="webhook deliveries" />;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const deliveries = await listDeliveries(ctx, id);
  return (
    <div className="max-w-5xl space-y-4">
      <p><Link href="/status-admin" className="underline">← Status page</Link></p>
      <h1 className="text-2xl font-bold">Webhook deliveries</h1>
      <div className="panel overflow-x-auto p-0">
        <table className="table">
          <thead>
            <tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last response</th><th scope="col">Next retry</th><th scope="col">Log</th></tr>
          </thead>
          <tbody>
            {deliveries.length === 0 && <tr><td colSpan={6} className="text-muted">Nothing sent yet.</td></tr>}
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td className="text-sm">{d.event}<span className="block text-xs text-muted">{utc(d.createdAt)}</span></td>
                <td className="text-sm">{d.status}</td>
                <td className="text-sm">{d.attempts}</td>
                <td className="text-sm">{d.responseCode ?? ""} {d.error ?? ""}</td>
                <td className="text-sm">{d.status === "pending" ? utc(d.nextAttemptAt) : ""}</td>
                <td className="text-xs">
                  <ol>
                    {d.log.map((a) => (
                      <li key={a.id}>#{a.attempt} {utc(a.at)} · {a.responseCode ?? "no response"}{a.error ? ` · ${a.error}` : ""} · {a.durationMs} ms</li>
                    ))}
                  </ol>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
