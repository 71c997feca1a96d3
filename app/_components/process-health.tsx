import { When } from "@/app/_components/time";
import type { SupervisorReport } from "@/lib/supervision";

const STATE_LABELS = { starting: "starting", running: "running", restarting: "restarting", "crash-loop": "crash loop", stopped: "stopped" } as const;

/**
 * Sitrep's own processes under `npm start`, on the Overview only while one of them is not running:
 * a crash loop needs a person (the supervisor keeps retrying, slowly); a restart is shown too.
 */
export function ProcessHealth({ report }: { report: SupervisorReport }) {
  if (!report.supervised || report.status === "ok") return null;
  const loop = report.status === "crash-loop";
  return (
    <section aria-labelledby="process-health" role={loop ? "alert" : "status"} className={`panel space-y-2 border ${loop ? "border-sev1" : "border-sev2"}`} data-testid="process-health">
      <h2 id="process-health" className="text-lg font-semibold">
        {loop ? `Crash loop: ${report.crashLooping.join(", ")}` : `Restarting: ${report.restarting.join(", ")}`}
      </h2>
      <p className="text-sm text-muted">
        {loop
          ? "This process keeps exiting right after it starts. It is retried every 30 s; its log lines in the terminal that runs `npm start` say why."
          : "It stopped and is being started again. The rest of Sitrep keeps running."}
      </p>
      <ul className="space-y-1 text-sm">
        {report.processes.map((p) => (
          <li key={p.name} className="flex flex-wrap items-baseline gap-2">
            <span className={`badge border ${p.state === "running" ? "border-line text-muted" : p.state === "crash-loop" ? "border-sev1 text-sev1" : "border-sev2 text-sev2"}`}>{STATE_LABELS[p.state]}</span>
            <span className="font-medium">{p.label}</span>
            <span className="text-muted">
              {p.restarts} restart{p.restarts === 1 ? "" : "s"}
              {p.lastExit ? (
                <>
                  , last exit {p.lastExit.signal ?? `code ${p.lastExit.code}`} <When at={p.lastExit.at} />
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
