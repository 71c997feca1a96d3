import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/auth/permissions";
import { getEnvironmentDetail, getFaults, type FaultState } from "@/lib/environments";
import { NotFoundError, UpstreamError } from "@/lib/errors";
import { AddAgentForm, AddSurfaceForm, EditEnvironmentForm, FaultSwitches, RemoveButton } from "../env-forms";
import { EnvironmentSignals } from "../../triage/_components/environment-signals";

export const metadata: Metadata = { title: "Environment" };

export default async function EnvironmentPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const ctx = await pageContext("environments.read", `/environments/${name}`);
  if (!ctx) return <Forbidden what="environments" />;
  const detail = await orNotFound(getEnvironmentDetail(ctx, decodeURIComponent(name)));
  const { environment: e, surfaces, agents } = detail;
  const admin = can(ctx.actor.role, "environments.manage");
  const faultAdmin = can(ctx.actor.role, "faults.manage") && e.hasFaultSwitches;
  let faults: FaultState | null = null;
  let faultError: string | null = null;
  if (faultAdmin) {
    try {
      faults = await getFaults(ctx, e.id);
    } catch (error) {
      faultError = error instanceof UpstreamError ? error.message : "The fault switches could not be read.";
    }
  }
  return (
    <div className="max-w-5xl space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{e.name}</h1>
        <span className="badge bg-bg">{e.kind}</span>
        {e.production && <span className="badge bg-bg text-sev1">production — actions ask for confirmation</span>}
        <Link href={`/environments/${encodeURIComponent(e.name)}/health`} className="btn">Health board</Link>
      </div>
      {e.description && <p className="text-muted">{e.description}</p>}
      <EnvironmentSignals environmentId={e.id} />
      <dl className="panel grid gap-2 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="text-muted">Control API</dt><dd className="font-mono">{e.controlBaseUrl}</dd>
        <dt className="text-muted">Runtime API</dt><dd className="font-mono">{e.runtimeBaseUrl}</dd>
        <dt className="text-muted">Runtime operator token</dt><dd>{e.hasRuntimeToken ? "set (kept on the server)" : "none"}</dd>
        <dt className="text-muted">Fault switches</dt><dd>{e.hasFaultSwitches ? "available" : "none"}</dd>
      </dl>

      <section aria-labelledby="surfaces">
        <h2 id="surfaces" className="mb-2 text-lg font-semibold">Surfaces ({surfaces.length})</h2>
        <div className="panel overflow-x-auto p-0">
          <table className="table">
            <thead><tr><th scope="col">Surface</th><th scope="col">Unit / command</th><th scope="col">Port</th><th scope="col">Runbook ports</th><th scope="col">Health check</th><th scope="col">Group</th>{admin && <th scope="col">Actions</th>}</tr></thead>
            <tbody>
              {surfaces.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td className="font-mono text-xs">{s.unit ?? s.command ?? "—"}</td>
                  <td>{s.port ?? "—"}</td>
                  <td>{s.runbookPorts.length ? s.runbookPorts.join(", ") : "—"}</td>
                  <td className="font-mono text-xs">{s.hostHeader ? `Host: ${s.hostHeader} ` : ""}{s.healthUrl}</td>
                  <td>{s.group}</td>
                  {admin && <td><RemoveButton kind="surface" id={s.id} label={`Remove ${s.name}`} production={e.production} /></td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {admin && <div className="mt-3"><AddSurfaceForm environmentId={e.id} production={e.production} name={e.name} /></div>}
      </section>

      <section aria-labelledby="agents">
        <h2 id="agents" className="mb-2 text-lg font-semibold">Host agents ({agents.length})</h2>
        <div className="panel overflow-x-auto p-0">
          <table className="table">
            <thead><tr><th scope="col">Agent</th><th scope="col">URL</th><th scope="col">Allowlist</th><th scope="col">Last seen</th>{admin && <th scope="col">Actions</th>}</tr></thead>
            <tbody>
              {agents.map((a) => {
                const summary = a.allowlistSummary as { programs?: string[] } | null;
                return (
                  <tr key={a.id}>
                    <td>{a.name} <span className="text-xs text-muted">({a.agentKey})</span></td>
                    <td className="font-mono text-xs">{a.url}</td>
                    <td className="text-xs">{summary?.programs ? `${summary.programs.length} programs: ${summary.programs.slice(0, 4).join(", ")}${summary.programs.length > 4 ? " …" : ""}` : "not reported yet"}</td>
                    <td className="text-xs">
                      {a.lastSeenAt ? a.lastSeenAt.toISOString().replace("T", " ").slice(0, 19) + " UTC" : "never"}
                      {a.lastError && <span className="block text-sev1">{a.lastError}</span>}
                    </td>
                    {admin && <td><RemoveButton kind="agent" id={a.id} label={`Remove ${a.name}`} production={e.production} /></td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {admin && <div className="mt-3"><AddAgentForm environmentId={e.id} production={e.production} name={e.name} /></div>}
      </section>

      {faultAdmin && (
        <section aria-labelledby="faults">
          <h2 id="faults" className="mb-2 text-lg font-semibold">Fault switches</h2>
          <p className="mb-2 text-sm text-muted">Break the environment on purpose for drills. Every flip is audited.</p>
          {faultError ? <p role="alert" className="field-error">{faultError}</p> : (
            <FaultSwitches environmentId={e.id} production={e.production} surfaces={surfaces.filter((s) => s.key).map((s) => ({ id: s.key!, label: s.name }))} faults={faults as Record<string, unknown> | null} />
          )}
        </section>
      )}

      {admin && (
        <section aria-labelledby="settings" className="space-y-3">
          <h2 id="settings" className="text-lg font-semibold">Settings</h2>
          <EditEnvironmentForm environment={e} />
          <RemoveButton kind="environment" id={e.id} label={`Remove environment ${e.name}`} production={e.production} />
        </section>
      )}
    </div>
  );
}
