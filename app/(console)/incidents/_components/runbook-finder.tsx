import { SoftLink } from "@/app/_components/soft-link";
import type { SectionMatch } from "@/lib/runbooks";

/**
 * From the incident to its runbooks: the playbook its trigger named, where a runbook has it, and
 * a search of the library. Both carry the incident along, so steps run from the runbook opened
 * are recorded on this incident's timeline.
 */
export function RunbookFinder({ incidentRef, playbook }: { incidentRef: string; playbook?: { name: string; sections: SectionMatch[] } | null }) {
  const forIncident = new URLSearchParams({ incident: incidentRef }).toString();
  return (
    <div className="space-y-2 border-t border-line pt-2">
      <h3 className="font-medium">Open a runbook for {incidentRef}</h3>
      {playbook && (
        <div className="text-sm" data-testid="trigger-playbook">
          <p>
            Declared from a trigger whose playbook is <em>{playbook.name}</em>
            {playbook.sections.length === 0 ? "; no runbook in the library has a section of that name yet." : ":"}
          </p>
          {playbook.sections.length > 0 && (
            <ul className="ml-5 list-disc">
              {playbook.sections.map((m) => (
                <li key={`${m.slug}#${m.sectionId}`}>
                  <SoftLink className="text-accent underline" href={`/runbooks/${m.slug}?${forIncident}#doc-${m.sectionId}`}>
                    {m.runbookTitle} › {m.sectionTitle}
                  </SoftLink>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form role="search" action="/runbooks" className="flex flex-wrap items-end gap-2 [&>div]:min-w-0" aria-label={`Find a runbook for ${incidentRef}`}>
        <input type="hidden" name="incident" value={incidentRef} />
        <div>
          <label htmlFor="runbook-finder-q" className="label">Runbook</label>
          <input id="runbook-finder-q" name="q" type="search" className="input" maxLength={200} placeholder="Title, category or text" />
        </div>
        <button type="submit" className="btn">Find runbook</button>
      </form>
      <p className="text-xs text-muted">Steps you run from the runbook you open are recorded on this timeline with their outcome.</p>
    </div>
  );
}
