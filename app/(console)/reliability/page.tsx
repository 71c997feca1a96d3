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
      </p>
      <Table label="By severity" rows={report.bySeverity} keyName="sev" />
      <Table label="By month" rows={report.byMonth} keyName="month" />
    </div>
  );
}
