import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { listRepositories } from "@/lib/runbooks/sync/repositories";
import type { SyncResult } from "@/lib/runbooks/sync/sync";
import { formatTime } from "../format";
import { RepositoryForm, SyncNowButton } from "./repository-form";

export const metadata: Metadata = { title: "Runbook repositories" };

type LastResult = Pick<SyncResult, "created" | "updated" | "unchanged" | "renamed" | "archived" | "failed" | "skippedSubmodules" | "skippedSymlinks" | "warnings"> & { commit: string; full: boolean };

export default async function RepositoriesPage() {
  const ctx = await pageContext("runbooks.sync", "/runbooks/repositories");
  if (!ctx) return <Forbidden what="runbook repositories" />;
  const repos = await listRepositories(ctx);
  return (
    <div className="max-w-5xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm"><Link href="/runbooks" className="text-accent hover:underline">Runbooks</Link></nav>
      <h1 className="text-2xl font-bold">Runbook repositories</h1>
      <p className="text-sm text-muted">
        The library syncs markdown runbooks from git checkouts on the console&apos;s host: only what changed since the last synced commit, renames keep their runbook,
        deleted files archive theirs. From a shell: <code className="font-mono">sitrep runbooks sync &lt;checkout&gt; [--branch B]</code>.
      </p>
      {repos.length === 0 && <p className="panel text-muted">No repository yet.</p>}
      {repos.map((r) => {
        const last = r.lastResult as LastResult | null;
        return (
          <section key={r.id} className="panel space-y-3" aria-labelledby={`repo-${r.id}-heading`} data-testid="repository">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 id={`repo-${r.id}-heading`} className="text-lg font-semibold">{r.name}</h2>
              <SyncNowButton id={r.id} name={r.name} />
            </div>
            <p className="text-sm text-muted">
              <span className="font-mono">{r.path}</span>{r.branch ? ` @ ${r.branch}` : " (HEAD)"}{r.subfolder ? ` · only ${r.subfolder}/` : ""}
              {" · "}{r.scheduleMinutes ? `syncs every ${r.scheduleMinutes} min${r.nextSyncAt ? `, next ${formatTime(r.nextSyncAt)}` : ""}` : "syncs by hand"}
            </p>
            <div className="text-sm" data-testid="repository-last-sync">
              <h3 className="font-semibold">Last sync</h3>
              {!r.lastSyncedAt ? (
                <p className="text-muted">Never synced.</p>
              ) : (
                <>
                  <p>
                    {formatTime(r.lastSyncedAt)}
                    {r.lastError ? <span className="text-sev1"> · failed: {r.lastError}</span> : null}
                    {last && !r.lastError ? ` · commit ${last.commit.slice(0, 12)}${last.full ? " (full)" : ""} · ${last.created} created, ${last.updated} updated, ${last.unchanged} unchanged, ${last.renamed.length} renamed, ${last.archived.length} archived, ${last.failed.length} failed, ${last.warnings} warnings` : ""}
                  </p>
                  {last && last.failed.length > 0 && (
                    <ul className="ml-5 list-disc text-sev1">{last.failed.map((f) => <li key={f.file}>{f.error}</li>)}</ul>
                  )}
                  {last && last.skippedSubmodules.length > 0 && <p className="text-muted">Submodules not followed: {last.skippedSubmodules.join(", ")}</p>}
                  {last?.skippedSymlinks?.length ? <p className="text-muted">Symbolic links not imported (their targets are): {last.skippedSymlinks.join(", ")}</p> : null}
                </>
              )}
            </div>
            <details>
              <summary className="cursor-pointer text-sm">Settings</summary>
              <div className="mt-2"><RepositoryForm repo={r} /></div>
            </details>
          </section>
        );
      })}
      <section className="panel" aria-labelledby="add-repo-heading">
        <h2 id="add-repo-heading" className="mb-2 text-lg font-semibold">Add a repository</h2>
        <RepositoryForm />
      </section>
    </div>
  );
}
