import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { auditFilterSchema, listAuditEntries, verifyAuditChain } from "@/lib/audit";

export const metadata: Metadata = { title: "Audit log" };

type Search = Record<string, string | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext("audit.read", "/admin/audit");
  if (!ctx) return <Forbidden what="the audit log" />;
  const raw = await searchParams;
  const parsed = auditFilterSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v)));
  const filter = parsed.success ? parsed.data : auditFilterSchema.parse({});
  const [entries, verdict] = await Promise.all([listAuditEntries(ctx.db, filter), verifyAuditChain(ctx.db)]);
  const next = entries.length === filter.limit ? entries.at(-1)?.seq : undefined;
  return (
    <div className="max-w-6xl space-y-4">
      <h1 className="text-2xl font-bold">Audit log</h1>
      <p role="status" data-testid="chain-status" className={`panel font-medium ${verdict.ok ? "text-ok" : "text-sev1"}`}>
        {verdict.ok
          ? `Chain verified: ${verdict.entries} entries, none altered or removed.`
          : `Chain broken at entry ${verdict.brokenSeq}: ${verdict.reason}.`}
      </p>
      {!parsed.success && <p role="alert" className="field-error">Some filters were not understood and were ignored.</p>}
      <form className="panel grid gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Filter audit entries">
        <FilterInput name="actor" label="Actor email" value={raw.actor} />
        <FilterInput name="action" label="Action starts with" value={raw.action} />
        <FilterInput name="targetType" label="Target type" value={raw.targetType} />
        <FilterInput name="targetId" label="Target id" value={raw.targetId} />
        <FilterInput name="from" label="From" type="datetime-local" value={raw.from} />
        <FilterInput name="to" label="To" type="datetime-local" value={raw.to} />
        <div className="flex gap-2 sm:col-span-3 lg:col-span-6">
          <button className="btn-primary" type="submit">Filter</button>
          <Link className="btn" href="/admin/audit">Clear</Link>
        </div>
      </form>
      <div className="panel overflow-x-auto p-0">
        <table className="table">
          <thead>
            <tr><th scope="col">#</th><th scope="col">When (UTC)</th><th scope="col">Actor</th><th scope="col">Role</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Change</th><th scope="col">Request</th></tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td className="font-mono">{e.seq}</td>
                <td className="whitespace-nowrap font-mono">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{e.actorEmail ?? "—"}</td>
                <td>{e.actorRole ?? "—"}</td>
                <td className="font-mono">{e.action}</td>
                <td className="font-mono">{e.targetType}{e.targetId ? `:${e.targetId.slice(0, 12)}` : ""}</td>
                <td className="max-w-md">
                  {e.before || e.after ? (
                    <details>
                      <summary className="cursor-pointer text-muted">before / after</summary>
                      <pre className="mt-1 overflow-x-auto text-xs">{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                    </details>
                  ) : "—"}
                </td>
                <td className="font-mono text-xs">{e.requestId?.slice(0, 8) ?? "—"}</td>
              </tr>
            ))}
            {entries.length === 0 && <tr><td colSpan={8} className="text-muted">No entries match.</td></tr>}
          </tbody>
        </table>
      </div>
      {next && (
        <Link className="btn" href={{ pathname: "/admin/audit", query: { ...raw, before: String(next) } }}>Older entries</Link>
      )}
    </div>
  );
}

function FilterInput({ name, label, value, type = "text" }: { name: string; label: string; value?: string; type?: string }) {
  return (
    <div>
      <label htmlFor={`f-${name}`} className="label">{label}</label>
      <input id={`f-${name}`} name={name} type={type} defaultValue={value} className="input" />
    </div>
  );
}
