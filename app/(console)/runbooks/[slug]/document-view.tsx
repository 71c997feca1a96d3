import type { DocNode, RunbookDocument, Step } from "@/lib/runbooks/parse";
import { CopyButton } from "../copy-button";
import { markdownClasses } from "../markdown-view";
import { StepSlot, type StepSlotProps } from "./step-slot";

// The runbook document as rendered on write (HTML), with each step and reference block placed
// where it stands. Nothing here parses markdown.

type Props = Omit<StepSlotProps, "step"> & { document: RunbookDocument; steps: Step[] };

export function DocumentView({ document, steps, ...slot }: Props) {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const render = (nodes: DocNode[], key: string): React.ReactNode[] =>
    nodes.map((node, i) => {
      const k = `${key}-${i}`;
      if (typeof node === "string") return <div key={k} className="contents" dangerouslySetInnerHTML={{ __html: node }} />;
      if ("step" in node) {
        const step = byId.get(node.step);
        return step ? <StepSlot key={k} step={step} {...slot} /> : null;
      }
      if ("ref" in node) {
        return (
          <figure key={k} className="my-2" data-testid="reference-block">
            <figcaption className="flex items-center justify-between gap-2 text-xs text-muted">
              <span>{node.ref.language ?? "text"} · reference, not run</span>
              <CopyButton text={node.ref.code} label={`Copy ${node.ref.language ?? "text"} block`} />
            </figcaption>
            <pre><code>{node.ref.code}</code></pre>
          </figure>
        );
      }
      const Tag = node.tag;
      const { class: className, start, ...rest } = node.attrs ?? {};
      return (
        <Tag key={k} className={className} {...(start ? { start: Number(start) } : {})} {...rest}>
          {render(node.children, k)}
        </Tag>
      );
    });
  return (
    <div className={markdownClasses} data-testid="runbook-document">
      {render(document.nodes, "d")}
    </div>
  );
}
