import { describe, expect, it } from "vitest";
import { analyzeRunbook, parseRunbook } from "./index";
import { plainCommand } from "./plain-commands";

describe("plainCommand: a line of plain text read as a command", () => {
  it("reads lines that start with a program no sentence starts with, followed by arguments", () => {
    for (const line of [
      "kubectl get pods -n ingress -o wide",
      "systemctl status kubelet",
      "journalctl -u kubelet --since '10 min ago'",
      "$ oc get clusteroperators",
      "sudo gitlab-ctl restart sidekiq",
      "curl -sf http://localhost:9090/-/ready",
      "helm rollback payments 12",
      "etcdctl endpoint health --cluster",
      "df -h /var/lib/docker",
      "kubectl apply -f manifests/",
      "grep -c ERROR /var/log/app/app.log",
    ]) {
      expect(plainCommand(line), line).toBe(line.replace(/^\$ /, ""));
    }
  });

  it("leaves prose, even when it names a program", () => {
    for (const line of [
      "Find the pod that restarts most often.",
      "kubectl is the Kubernetes command line client.",
      "kubectl get pods shows the pods in the namespace you are in.",
      "docker images are built by the release pipeline.",
      "curl the health endpoint to see whether it answers.",
      "ssh access to the nodes is granted by the platform team.",
      "sudo rights are needed for this.",
      "Run the following:",
      "systemctl restart kubelet. Then wait a minute.",
      "kubectl **must** be at least 1.28",
      "aws console: open the EC2 page",
      "kubectl",
      "watch the error rate for ten minutes",
    ]) {
      expect(plainCommand(line), line).toBeNull();
    }
  });
});

describe("commands written as plain text in a runbook", () => {
  const md = [
    "# Kubelet down",
    "",
    "## Diagnosis",
    "",
    "Check whether the kubelet runs:",
    "systemctl status kubelet",
    "",
    "- List the nodes that are not ready:",
    "  kubectl get nodes --no-headers | grep -v ' Ready '",
    "- kubectl describe node $NODE",
    "",
    "kubectl is the cluster client; the steps above need it.",
    "",
  ].join("\n");

  it("makes each such line a step, titled by the words before it, with its inputs", () => {
    const parsed = parseRunbook(md, { fileName: "KubeletDown.md" });
    expect(parsed.steps.map((s) => [s.foundBy, s.title, s.source, s.startLine])).toEqual([
      ["plain-text", "Check whether the kubelet runs", "systemctl status kubelet", 6],
      ["plain-text", "List the nodes that are not ready", "kubectl get nodes --no-headers | grep -v ' Ready '", 9],
      ["plain-text", "List the nodes that are not ready", "kubectl describe node $NODE", 10],
    ]);
    expect(parsed.steps.map((s) => s.origin)).toEqual(["inline", "inline", "inline"]);
    expect(parsed.steps[2].placeholders.map((p) => p.name)).toEqual(["node"]);
    expect(parsed.steps.every((s) => s.runnable)).toBe(true);
  });

  it("shows the words of the paragraph on the page once, and the command as the step", () => {
    const { document } = analyzeRunbook(md, { fileName: "KubeletDown.md", document: true });
    const html = JSON.stringify(document);
    expect(html).toContain("Check whether the kubelet runs:");
    expect(html).not.toContain("systemctl status kubelet");
    expect(html).not.toContain("kubectl describe node");
    expect(html).toContain("kubectl is the cluster client");
    expect(html.match(/"step":/g)).toHaveLength(3);
  });

  it("holds a plain command the text sends to another machine, as it does a formatted one", () => {
    const parsed = parseRunbook("# Disk\n\nSSH into the affected node and run:\nsudo journalctl --vacuum-size=500M\n", { fileName: "disk.md" });
    expect(parsed.steps).toHaveLength(1);
    expect(parsed.steps[0].runnable).toBe(false);
  });
});
