import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/auth/permissions";
import { getDrillStartView } from "@/lib/drills";
import { PlanPanel } from "../plan-panel";
import { StartDrillForm } from "./start-form";

export const metadata: Metadata = { title: "Run drill" };

export default async function NewDrillPage({ searchParams }: { searchParams: Promise<{ runbook?: string }> }) {
  const { runbook } = await searchParams;
  const ctx = await pageContext("drills.run", "/drills/new");
  if (!ctx) return <Forbidden what="running drills" />;
  if (!runbook) notFound();
  const view = await orNotFound(getDrillStartView(ctx, runbook));
  return (
    <div className="max-w-4xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/runbooks/${view.runbook.slug}`} className="text-accent hover:underline">{view.runbook.title}</Link>
      </nav>
      <h1 className="text-2xl font-bold">Run a validation drill</h1>
      <p className="text-muted">
        Revision {view.runbook.revision} of “{view.runbook.title}” runs step by step against the environment you pick. Every step is recorded with its
        expectation and what really happened; a commander or admin signs the result into the runbook’s Validation Log.
      </p>
      {view.warnings.map((w) => <p key={w} className="panel text-sev3">{w}</p>)}
      <StartDrillForm slug={view.runbook.slug} environments={view.environments} inputs={view.inputs} generated={view.generated} />
      <PlanPanel origin={view.planOrigin} summary={view.planSummary} lines={view.planLines} />
      {can(ctx.actor.role, "drills.configure") && (
        <p><Link href={`/drills/plans/${encodeURIComponent(view.runbook.slug)}`} className="btn">Edit drill plan</Link></p>
      )}
      <section aria-labelledby="items-heading" className="panel">
        <h2 id="items-heading" className="mb-2 text-lg font-semibold">What will run ({view.items.length} items)</h2>
        <ol className="ml-5 list-decimal space-y-1 text-sm">
          {view.items.map((i, n) => (
            <li key={n}>
              <span className="badge mr-2">{i.kind}</span>
              {i.title} <span className="text-muted">— {i.skip ? `skipped: ${i.skip}` : i.expectation}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
