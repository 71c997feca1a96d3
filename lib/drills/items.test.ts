import { describe, expect, it } from "vitest";
import { parseRunbook } from "@/lib/runbooks/parse";
import { buildItems } from "./items";
import { EMPTY_PLAN } from "./plan";

describe("drill items", () => {
  it("a step that cannot run as written is a manual check a person does in a terminal", () => {
    const parsed = parseRunbook(["# Node", "", "## Diagnosis", "", "```bash", "oc debug node/worker-3", "chroot /host", "```", "", "```bash", "oc get nodes", "```", ""].join("\n"), { fileName: "node.md" });
    const items = buildItems(parsed, EMPTY_PLAN);
    expect(items.map((i) => i.kind)).toEqual(["manual", "step"]);
    expect(items[0].expectation.summary).toMatch(/^a person runs it in a terminal and confirms it \(it cannot run as a step: it opens a shell in a debug pod/);
  });
});
