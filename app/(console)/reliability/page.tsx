import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { DURATION_LABELS, DURATION_NAMES, formatDuration, reliabilityReport, type Reliability } from "@/lib/reviews";

export const metadata: Metadata = { title: "Reliability" };

function Table({ label, rows, keyName }: { label: string; rows: Reliability["bySeverity"]; keyName: string }) {
  return (
    <section className="panel" aria-labelledby={`${keyName}-h`}>
      <h2 id={`${keyName}-h`} className="mb-2 text-lg font-semibold">{label}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-muted">No resolved incidents yet.</p>
      ) : (
        <div className="overflow-x-auto">
        <table className="table" aria-label={label}>
          <thead>
            <tr>
              <th>{keyName === "sev" ? "Severity" : "Month (UTC)"}</th>
              <th>Incidents</th>
              {DURATION_NAMES.map((n) => <th key={n}>{DURATION_LABELS[n]} (median / mean / max)</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td>{r.key}</td>
                <td>{r.incidents}</td>
                {DURATION_NAMES.map((n) => {
                  const s = r.stats[n];
                  return <td key={n}>{s.count ? `${formatDuration(s.median)} / ${formatDuration(s.mean)} / ${formatDuration(s.max)} (n=${s.count})` : "—"}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}

export default async function ReliabilityPage() {
  const ctx = await pageContext("reviews.read", "/reliability");
  if (!ctx) return <Forbidden what="reliability figures" />;
  const report = await reliabilityReport(ctx);
  return (
    <div className="max-w-7xl space-y-4">
      <h1 className="text-2xl font-bold">Reliability</h1>
      <p className="text-sm text-muted">
        Durations of {report.incidents} resolved incident{report.incidents === 1 ? "" : "s"}, from key moments as reviews settled them (else as
        the incident recorded them). Detect: started → detected; acknowledge: detected → acknowledged; mitigate and resolve: from the start.
        {report.onlyPublished && " You see incidents with published reviews only."}
        {report.excluded.length > 0 && ` ${report.excluded.length} incident${report.excluded.length === 1 ? " is" : "s are"} left out because their key moments are out of order (listed below).`}
      </p>
      {report.excluded.length > 0 && (
        <section className="panel border-sev2" aria-labelledby="excluded-h" data-testid="reliability-excluded">
          <h2 id="excluded-h" className="mb-1 text-lg font-semibold">Left out: key moments out of order ({report.excluded.length})</h2>
          <p className="mb-2 text-sm text-muted">Their durations would be wrong (a detection after the declaration, a mitigation before the detection …). Fix the moments in the review and they count again.</p>
          <ul className="space-y-1 text-sm">
            {report.excluded.map((e) => (
              <li key={e.ref}>
                <a className="underline" href={`/incidents/${e.ref}/review`}>{e.ref}</a> ({e.severity}) {e.title}: {e.problems.join(" ")}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Table label="By severity" rows={report.bySeverity} keyName="sev" />
      <Table label="By month" rows={report.byMonth} keyName="month" />
    </div>
  );
}
