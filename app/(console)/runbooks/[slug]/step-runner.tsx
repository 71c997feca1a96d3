import type { Step } from "@/lib/runbooks/parse";
import { runContextFor } from "./run-context";
import { StepRunnerClient } from "./step-runner-client";

/**
 * The run button of a step card, for roles that may run steps (viewers see none). HTTP commands
 * run through the console's API clients; shell commands need a host agent of the environment.
 */
export async function StepRunner({ step, slug, revisionId, incidentRef, environmentId }: { step: Step; slug: string; revisionId: string; incidentRef?: string; environmentId?: string }) {
  if (step.commands.length === 0 || step.runnable === false) return null;
  const context = await runContextFor(slug, incidentRef);
  if (!context) return null;
  const needsAgent = step.commands.some((c) => c.kind !== "http" || !c.http);
  return (
    <StepRunnerClient
      step={{ id: step.id, ordinal: step.ordinal, title: step.title, placeholders: step.placeholders.map((p) => ({ name: p.name, description: p.description, pattern: p.pattern })) }}
      needsAgent={needsAgent}
      slug={slug}
      revisionId={revisionId}
      targets={context.targets.map((t) => ({ ...t, agents: t.agents.map((a) => ({ id: a.id, name: a.name, url: a.url })) }))}
      defaults={context.defaults}
      incidents={context.incidents.map((i) => ({ id: i.id, label: `${i.ref} · ${i.severity} · ${i.title}` }))}
      forIncidentId={context.forIncident?.id ?? ""}
      initialEnvironmentId={environmentId}
    />
  );
}
