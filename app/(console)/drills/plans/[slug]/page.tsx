import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getDrillPlanForEdit } from "@/lib/drills";
import { ActionForm, FormField } from "../../../status-admin/_components/action-form";
import { saveDrillPlanAction } from "../../actions";
import { PlanPanel } from "../../plan-panel";
import { PlanFormat } from "./plan-format";

export const metadata: Metadata = { title: "Drill plan" };

/** Admins edit what a drill of this runbook does around its steps (setup, bindings, cleanup). */
export default async function DrillPlanPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext("drills.configure", "/drills/plans/[slug]");
  if (!ctx) return <Forbidden what="drill plans" />;
  const view = await orNotFound(getDrillPlanForEdit(ctx, slug));
  const stored = view.version > 0 ? `Saved plan, version ${view.version}.` : view.origin === "built-in" ? "The plan shipped with Sitrep for this runbook, not changed yet." : "No plan saved yet: the steps run as written.";
  return (
    <div className="max-w-6xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/runbooks/${view.runbook.slug}`} className="text-accent hover:underline">{view.runbook.title}</Link>
        {" › "}
        <Link href={`/drills/new?runbook=${encodeURIComponent(view.runbook.slug)}`} className="text-accent hover:underline">Run a drill</Link>
      </nav>
      <header>
        <h1 className="text-2xl font-bold">Drill plan: {view.runbook.title}</h1>
        <p className="text-sm text-muted">
          {view.origin !== "none" && <span className="badge mr-1">{view.origin}</span>} {stored} Saving replaces the plan for every later drill of this runbook; drills already run keep the plan they used.
        </p>
      </header>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <ActionForm action={saveDrillPlanAction} label="Edit drill plan" submit="Save plan">
          <input type="hidden" name="runbookSlug" value={view.runbook.slug} />
          <input type="hidden" name="version" value={view.version} />
          <FormField
            name="plan"
            label="Plan (JSON)"
            type="textarea"
            rows={28}
            monospace
            required
            defaultValue={JSON.stringify(view.plan, null, 2)}
            hint="Checked as a whole on save: its shape, and that every step it names is a step of the current revision."
          />
        </ActionForm>
        <div className="space-y-4">
          <section aria-labelledby="plan-steps" className="panel text-sm">
            <h2 id="plan-steps" className="mb-2 font-semibold">Steps of the current revision</h2>
            <table className="table">
              <thead><tr><th>Step id (key under “steps”)</th><th>Title</th><th>Commands</th></tr></thead>
              <tbody>
                {view.steps.map((s) => (
                  <tr key={s.id}><td className="font-mono text-xs">{s.id}</td><td>{s.ordinal}. {s.title}</td><td>{s.commands}</td></tr>
                ))}
              </tbody>
            </table>
          </section>
          <PlanFormat />
        </div>
      </div>
      <PlanPanel origin={view.origin} summary={view.plan.summary} lines={view.lines} />
    </div>
  );
}
