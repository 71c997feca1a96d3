"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

type Target = { id: string; name: string; kind: string; production: boolean; agents: { id: string; name: string; url: string }[] };
type Chunk = { seq: number; stream: string; text: string };
type Execution = { id: string; state: string; reason: string | null; exitCode: number | null; httpStatus: number | null; expectationMet: boolean | null; durationMs: number | null; captures: { variable: string; value: string }[] };

type Props = {
  step: { id: string; ordinal: number; title: string; placeholders: { name: string; description: string; pattern: string }[] };
  needsAgent: boolean;
  slug: string;
  revisionId: string;
  targets: Target[];
  defaults: Record<string, string>;
  /** Incidents the run can be recorded for; "" is none. */
  incidents: { id: string; label: string }[];
  forIncidentId: string;
  /** The environment chosen on the page (its addresses are the ones shown). */
  initialEnvironmentId?: string;
};

const stateText: Record<string, string> = { running: "Running…", succeeded: "Succeeded", failed: "Failed", lost: "Lost", cancelled: "Cancelled" };
const stateClass: Record<string, string> = { running: "text-muted", succeeded: "text-ok", failed: "text-sev1", lost: "text-sev2", cancelled: "text-muted" };

export function StepRunnerClient({ step, needsAgent, slug, revisionId, targets, defaults, incidents, forIncidentId, initialEnvironmentId }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const initial = targets.find((t) => t.id === initialEnvironmentId) ?? targets.find((t) => t.name === "reference") ?? targets[0];
  const [environmentId, setEnvironmentId] = useState(initial?.id ?? "");
  const target = targets.find((t) => t.id === environmentId);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; fieldErrors: Record<string, string[]> } | null>(null);
  const [execution, setExecution] = useState<Execution | null>(null);
  const [chunks, setChunks] = useState<Chunk[]>([]);
  const source = useRef<EventSource | null>(null);
  const prefix = `run-${step.id}`;

  useEffect(() => () => source.current?.close(), []);

  function follow(id: string) {
    source.current?.close();
    const es = new EventSource(`/api/executions/${id}/stream`);
    source.current = es;
    es.addEventListener("chunk", (e) => {
      const chunk = JSON.parse((e as MessageEvent).data) as Chunk;
      setChunks((list) => (list.length && list[list.length - 1].seq >= chunk.seq ? list : [...list, chunk]));
    });
    es.addEventListener("end", (e) => {
      setExecution(JSON.parse((e as MessageEvent).data) as Execution);
      es.close();
      // Captured values become the next steps' defaults.
      router.refresh();
    });
  }

  async function cancel(id: string) {
    const response = await fetch(`/api/executions/${id}/cancel`, { method: "POST" });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      setError({ message: body.error ?? `The step could not be cancelled (HTTP ${response.status}).`, fieldErrors: {} });
    }
  }

  async function run(form: FormData) {
    setPending(true);
    setError(null);
    const inputs: Record<string, string> = {};
    for (const p of step.placeholders) inputs[p.name] = String(form.get(p.name) ?? "");
    try {
      const response = await fetch("/api/executions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          runbookSlug: slug,
          stepId: step.id,
          revisionId,
          environmentId,
          agentId: needsAgent ? String(form.get("agentId") ?? "") : undefined,
          inputs,
          incidentId: String(form.get("incidentId") ?? ""),
          confirmProduction: form.get("confirmProduction") === "on",
        }),
      });
      const body = (await response.json()) as { execution?: Execution; error?: string; fieldErrors?: Record<string, string[]> };
      if (!response.ok || !body.execution) {
        setError({ message: body.error ?? `The step could not start (HTTP ${response.status}).`, fieldErrors: body.fieldErrors ?? {} });
        return;
      }
      setChunks([]);
      setExecution(body.execution);
      follow(body.execution.id);
    } catch {
      setError({ message: "The console could not be reached; nothing was started.", fieldErrors: {} });
    } finally {
      setPending(false);
    }
  }

  if (targets.length === 0) {
    return <p className="text-sm text-muted">No environment to run this step against yet; an admin adds one under Environments.</p>;
  }

  return (
    <div className="w-full space-y-2">
      {!open ? (
        <button type="button" className="btn-primary" onClick={() => setOpen(true)}>
          Run step {step.ordinal}
        </button>
      ) : (
        <form action={run} className="space-y-3 rounded-md border border-line p-3" aria-label={`Run step ${step.ordinal}`}>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <label htmlFor={`${prefix}-env`} className="label">Environment</label>
              <select id={`${prefix}-env`} className="input" value={environmentId} onChange={(e) => setEnvironmentId(e.target.value)}>
                {targets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({t.kind}){t.production ? " — PRODUCTION" : ""}
                  </option>
                ))}
              </select>
            </div>
            {needsAgent && (
              <div>
                <label htmlFor={`${prefix}-agent`} className="label">Host agent</label>
                <select id={`${prefix}-agent`} name="agentId" className="input" key={environmentId}>
                  {target?.agents.map((a) => (
                    <option key={a.id} value={a.id}>{a.name} ({a.url})</option>
                  ))}
                </select>
                {target && target.agents.length === 0 && <p className="field-error">This environment has no host agent.</p>}
              </div>
            )}
            <div>
              <label htmlFor={`${prefix}-incident`} className="label">For incident</label>
              <select id={`${prefix}-incident`} name="incidentId" className="input" defaultValue={forIncidentId} aria-describedby={`${prefix}-incident-hint`}>
                <option value="">None</option>
                {incidents.map((i) => (
                  <option key={i.id} value={i.id}>{i.label}</option>
                ))}
              </select>
              <p id={`${prefix}-incident-hint`} className="mt-1 text-xs text-muted">The incident&apos;s timeline records the run and its outcome.</p>
              {error?.fieldErrors.incidentId && <p className="field-error">{error.fieldErrors.incidentId.join(" ")}</p>}
            </div>
            {step.placeholders.map((p) => {
              const errors = error?.fieldErrors[p.name] ?? error?.fieldErrors[`inputs.${p.name}`];
              return (
                <div key={p.name}>
                  <label htmlFor={`${prefix}-${p.name}`} className="label">{p.name}</label>
                  <input
                    id={`${prefix}-${p.name}`}
                    name={p.name}
                    className="input font-mono"
                    defaultValue={defaults[p.name] ?? ""}
                    key={defaults[p.name] ?? ""}
                    required
                    aria-invalid={!!errors}
                    aria-describedby={`${prefix}-${p.name}-hint${errors ? ` ${prefix}-${p.name}-error` : ""}`}
                  />
                  <p id={`${prefix}-${p.name}-hint`} className="mt-1 text-xs text-muted">{p.description}{defaults[p.name] ? " — filled from an earlier step" : ""}</p>
                  {errors && <p id={`${prefix}-${p.name}-error`} className="field-error">{errors.join(" ")}</p>}
                </div>
              );
            })}
          </div>
          {target?.production && (
            <label className="flex items-center gap-2 text-sm font-semibold text-sev1">
              <input type="checkbox" name="confirmProduction" required /> I mean to run this against production ({target.name}).
            </label>
          )}
          <div className="flex items-center gap-2">
            <button type="submit" className="btn-primary" disabled={pending || execution?.state === "running"}>
              {pending ? "Starting…" : `Start step ${step.ordinal}`}
            </button>
            <button type="button" className="btn" onClick={() => setOpen(false)}>Close</button>
          </div>
          {error && (
            <p role="alert" className="field-error">{error.message}</p>
          )}
        </form>
      )}
      {execution && (
        <section aria-label={`Execution of step ${step.ordinal}`} className="space-y-2 rounded-md border border-line p-3" data-testid="execution">
          <p role="status" className={`text-sm font-semibold ${stateClass[execution.state] ?? ""}`}>
            {stateText[execution.state] ?? execution.state}
            {execution.state !== "running" && execution.httpStatus !== null ? ` · HTTP ${execution.httpStatus}` : ""}
            {execution.state !== "running" && execution.exitCode !== null ? ` · exit ${execution.exitCode}` : ""}
            {execution.durationMs !== null ? ` · ${execution.durationMs} ms` : ""}
            {execution.expectationMet !== null ? ` · expectation ${execution.expectationMet ? "met" : "not met"}` : ""}
          </p>
          {execution.reason && <p className="text-sm" data-testid="execution-reason">{execution.reason}</p>}
          {execution.state === "running" && (
            <button type="button" className="btn" onClick={() => void cancel(execution.id)}>
              Cancel step {step.ordinal}
            </button>
          )}
          <pre role="log" aria-live="polite" aria-label={`Output of step ${step.ordinal}`} className="max-h-96 overflow-auto rounded-md bg-bg p-3 font-mono text-xs whitespace-pre-wrap">
            {chunks.map((c) => (
              <span key={c.seq} className={c.stream === "stderr" ? "text-sev1" : c.stream === "info" ? "text-muted" : ""}>{c.text}</span>
            ))}
          </pre>
          {execution.captures?.length > 0 && (
            <p className="text-xs">Captured: {execution.captures.map((c) => `${c.variable}=${c.value}`).join(", ")} (offered to the next steps)</p>
          )}
          <Link href={`/environments/executions/${execution.id}`} className="text-sm underline">Stored execution</Link>
        </section>
      )}
    </div>
  );
}
