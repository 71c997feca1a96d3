import type { Step } from "@/lib/runbooks/parse";
import { CopyButton } from "../copy-button";
import { StepRunner } from "./step-runner";

export type StepActionsProps = {
  step: Step;
  slug: string;
  runbookId: string;
  /** Executions reference runbookId + revisionId + step.id. */
  revisionId: string;
  /** The incident the page was opened for (`?incident=INC-12`), preselected in the run form. */
  incidentRef?: string;
};

/** The actions on a step card: copy its text, and run it (for roles that may). */
export function StepActions({ step, slug, revisionId, incidentRef }: StepActionsProps) {
  return (
    <>
      <CopyButton text={step.source} label={`Copy step ${step.ordinal}`} />
      <StepRunner step={step} slug={slug} revisionId={revisionId} incidentRef={incidentRef} />
    </>
  );
}
