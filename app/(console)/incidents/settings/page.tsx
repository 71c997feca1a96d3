import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { listChecklistTemplates, listSevDefinitions, runbookChecklistChoices } from "@/lib/incidents";
import { ChecklistFromRunbookForm, ChecklistTemplateForm, SevDefinitionForm } from "../_components/settings-forms";

export const metadata: Metadata = { title: "Severities and checklists" };

export default async function IncidentSettingsPage() {
  const ctx = await pageContext("incidents.configure", "/incidents/settings");
  if (!ctx) return <Forbidden what="incident settings" />;
  const [sevs, templates, choices] = await Promise.all([listSevDefinitions(ctx), listChecklistTemplates(ctx), runbookChecklistChoices(ctx)]);
  return (
    <div className="max-w-4xl space-y-8">
      <h1 className="text-2xl font-bold">Severities and checklists</h1>
      <section aria-labelledby="sev-heading" className="space-y-3">
        <h2 id="sev-heading" className="text-lg font-semibold">Severity definitions</h2>
        <p className="text-sm text-muted">Shown next to the choice whenever someone declares an incident or changes its severity.</p>
        {sevs.map((s) => (
          <SevDefinitionForm key={`${s.severity}-${s.version}`} def={{ severity: s.severity, name: s.name, description: s.description, responseExpectation: s.responseExpectation, version: s.version }} />
        ))}
      </section>
      <section aria-labelledby="tpl-heading" className="space-y-3">
        <h2 id="tpl-heading" className="text-lg font-semibold">Checklist templates</h2>
        <p className="text-sm text-muted">
          New incidents copy these; incidents already open keep their copy. A checklist that follows a runbook takes its items from the
          runbook&apos;s current revision each time an incident gets it.
        </p>
        {templates.map((t) => (
          <div key={`${t.kind}-${t.version}`} className="space-y-2">
            <ChecklistTemplateForm template={{ kind: t.kind, title: t.title, description: t.description, items: t.items, version: t.version }} />
            <p className="text-sm text-muted">Source: {t.source.startsWith("runbook:") ? `runbook ${t.source.slice(8)}` : t.source}</p>
            <ChecklistFromRunbookForm template={{ kind: t.kind, title: t.title, version: t.version, source: t.source }} choices={choices} />
          </div>
        ))}
      </section>
    </div>
  );
}
