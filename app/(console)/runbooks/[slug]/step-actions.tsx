import type { Step } from "@/lib/runbooks/parse";
import { CopyButton } from "../copy-button";
import { StepRunner } from "./step-runner";

export type StepActionsProps = {
  step: Step;
  slug: string;
  runbookId: string;
  /** Executions reference runbookId + revisionId + step.id. */
  revisionId: string;
};

/**
 * The actions on a step card. For now only copying the step's text; the environments work plugs
 * the run button in here (it receives everything an execution needs to reference the step).
 */
export function StepActions({ step, slug, revisionId }: StepActionsProps) {
  return (
    <>
      <CopyButton text={step.source} label={`Copy step ${step.ordinal}`} />
      <StepRunner step={step} slug={slug} revisionId={revisionId} />
    </>
  );
}
