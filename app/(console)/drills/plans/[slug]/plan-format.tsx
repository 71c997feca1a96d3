/** A short reference of the plan format next to the editor (the full one is lib/drills/plan.ts). */
export function PlanFormat() {
  const rows: Array<[string, string]> = [
    ["summary", "What the plan does, in a sentence or two; shown before every drill."],
    ["inputs.<name>", "{ description, pattern, generate? }: asked at the start; generate makes a fresh <prefix>-<random> value."],
    ["setup, cleanup", "Actions before and after the whole drill. Cleanup always runs, also after an abort."],
    ["steps.<step id>", "{ note?, skip?, setup, cleanup, bind, literal, requires, parts? } for one step."],
    ["bind", "Placeholder → value; \"${name}\" refers to an input or a captured variable."],
    ["parts", "Split a step: [{ commands: [1, 2], bind, capture: [{ variable, pattern }], attempt?, requires }]."],
    ["requires", "[{ program, message, signs }]: the item fails with message when the host lacks the program."],
  ];
  const actions: Array<[string, string]> = [
    ["create-runs", "{ count, prefix, title? } → runs <prefix>_1 … through the control API"],
    ["acquire-slots", "{ runs: [...], as: [...] } → a slot per run"],
    ["release-slots", "releases every slot a drill run still holds"],
    ["agent", "{ text, inputs?, optional? } → a command on the host agent (its allowlist applies)"],
    ["note", "{ text } → a line for the validator; nothing runs"],
  ];
  return (
    <section aria-labelledby="plan-format" className="panel space-y-2 text-sm">
      <h2 id="plan-format" className="font-semibold">Plan format</h2>
      <dl className="grid gap-x-3 gap-y-1 sm:grid-cols-[max-content_1fr]">
        {rows.map(([k, v]) => (
          <div key={k} className="contents"><dt className="font-mono text-xs">{k}</dt><dd>{v}</dd></div>
        ))}
      </dl>
      <h3 className="font-medium">Actions ({"{ kind, … }"})</h3>
      <dl className="grid gap-x-3 gap-y-1 sm:grid-cols-[max-content_1fr]">
        {actions.map(([k, v]) => (
          <div key={k} className="contents"><dt className="font-mono text-xs">{k}</dt><dd>{v}</dd></div>
        ))}
      </dl>
    </section>
  );
}
