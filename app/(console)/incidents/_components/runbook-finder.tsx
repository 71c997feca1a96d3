/**
 * From the incident to its runbooks: a search of the library that carries the incident along, so
 * steps run from the runbook opened are recorded on this incident's timeline.
 */
export function RunbookFinder({ incidentRef }: { incidentRef: string }) {
  return (
    <section aria-labelledby="runbook-finder" className="panel space-y-2">
      <h2 id="runbook-finder" className="text-lg font-semibold">Run a runbook for {incidentRef}</h2>
      <form role="search" action="/runbooks" className="flex flex-wrap items-end gap-2" aria-label={`Find a runbook for ${incidentRef}`}>
        <input type="hidden" name="incident" value={incidentRef} />
        <div>
          <label htmlFor="runbook-finder-q" className="label">Runbook</label>
          <input id="runbook-finder-q" name="q" type="search" className="input" placeholder="Title, category or text" />
        </div>
        <button type="submit" className="btn">Find runbook</button>
      </form>
      <p className="text-xs text-muted">Steps you run from the runbook you open are recorded on this timeline with their outcome.</p>
    </section>
  );
}
