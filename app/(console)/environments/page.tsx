import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listEnvironments } from "@/lib/environments";
import { CreateEnvironmentForm } from "./env-forms";

export const metadata: Metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  const ctx = await pageContext("environments.read", "/environments");
  if (!ctx) return <Forbidden what="environments" />;
  const environments = await listEnvironments(ctx);
  const admin = can(ctx.actor.role, "environments.manage");
  return (
    <div className="max-w-5xl space-y-6">
      <h1 className="text-2xl font-bold">Environments</h1>
      <p className="text-muted">Where runbook steps run: a control API, a runtime API, host agents and the surfaces to watch.</p>
      <div className="panel overflow-x-auto p-0">
        <table className="table">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Control API</th><th scope="col">Runtime API</th><th scope="col">Health</th></tr>
          </thead>
          <tbody>
            {environments.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link href={`/environments/${encodeURIComponent(e.name)}`} className="font-medium underline">{e.name}</Link>
                  {e.production && <span className="badge ml-2 bg-bg text-sev1">production</span>}
                </td>
                <td>{e.kind}</td>
                <td className="font-mono text-xs">{e.controlBaseUrl}</td>
                <td className="font-mono text-xs">{e.runtimeBaseUrl}</td>
                <td><Link href={`/environments/${encodeURIComponent(e.name)}/health`} className="underline">Health board</Link></td>
              </tr>
            ))}
            {environments.length === 0 && (
              <tr><td colSpan={5} className="text-muted">No environments yet.{admin ? " Add one below." : ""}</td></tr>
            )}
          </tbody>
        </table>
      </div>
      {admin && (
        <section aria-labelledby="new-environment">
          <h2 id="new-environment" className="mb-2 text-lg font-semibold">New environment</h2>
          <CreateEnvironmentForm />
        </section>
      )}
    </div>
  );
}
