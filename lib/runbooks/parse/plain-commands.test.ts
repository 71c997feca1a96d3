import { describe, expect, it } from "vitest";
import { analyzeRunbook, parseRunbook } from "./index";
import { plainCommand, plainCommandLines, readPlainLine } from "./plain-commands";

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
      "lsof | grep deleted",
      "cat /etc/resolv.conf",
      "uname -a",
      "free -m",
      "ping -c 3 10.0.4.1",
      "ssh ops@bastion.example.org",
      "kubectl apply -f .",
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
      // Statements about a command or its result, as small repositories write them.
      "df -h still reports the volume as full",
      "curl /status returns 200 with a JSON body",
      "ssh listening on port 2222.",
      "ssh daemon active since boot",
      "grep 2222: SSH runs there on these hosts.",
      "kubectl get `pods` in the namespace",
      "free space on /var is low",
      "ping the owning team first",
      "cat output can be long",
    ]) {
      expect(plainCommand(line), line).toBeNull();
    }
  });
});

describe("readPlainLine", () => {
  it("reads the command before a closing remark in parentheses and keeps the remark apart", () => {
    expect(readPlainLine("sudo systemctl restart nginx (The usual fix).")).toEqual({ source: "sudo systemctl restart nginx", remark: "(The usual fix)." });
    expect(readPlainLine("kubectl rollout restart deploy/web (Takes about a minute)")).toEqual({ source: "kubectl rollout restart deploy/web", remark: "(Takes about a minute)" });
    expect(readPlainLine("kubectl get pods -A")).toEqual({ source: "kubectl get pods -A" });
    // A subshell is not a remark; the rest of the line still decides.
    expect(readPlainLine("sudo sh -c '(cd /srv && ls)'")).toEqual({ source: "sudo sh -c '(cd /srv && ls)'" });
  });
});

describe("plainCommandLines", () => {
  it("takes lines after a lead-in that announces output as output", () => {
    expect(plainCommandLines("Output:\ngit version 2.39.5")).toEqual([]);
    expect(plainCommandLines("git version 2.39.5", "Expected output")).toEqual([]);
    expect(plainCommandLines("Then check the client:\ngit version")).toEqual([{ index: 1, source: "git version" }]);
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

  it("titles a step by the nearest line of words above it", () => {
    const parsed = parseRunbook("# Host\n\nThe daemon forks one worker per core.\nCheck its processes:\nps aux | grep -c sshd\n", { fileName: "host.md" });
    expect(parsed.steps.map((s) => [s.title, s.source])).toEqual([["Check its processes", "ps aux | grep -c sshd"]]);
  });

  it("leaves a paragraph whose lines the page could not tell apart (a <details> line) as text", () => {
    const { parsed, document } = analyzeRunbook("# Pods\n\nCheck:\n<details>\nkubectl get pods -A\nthen compare.\n", { fileName: "pods.md", document: true });
    expect(parsed.steps).toEqual([]);
    expect(JSON.stringify(document)).toContain("then compare.");
  });

  it("reads the paragraph's words after a plain command for the steps that follow", () => {
    const parsed = parseRunbook("# Disk\n\nsystemctl status kubelet\nIf it is down, SSH into the affected node.\n\n```bash\nsudo systemctl restart kubelet\n```\n", { fileName: "disk.md" });
    expect(parsed.steps.map((s) => s.runnable)).toEqual([true, false]);
  });

  it("reads a paragraph whose lead-in has a code span, and keeps a command's closing remark on the page", () => {
    const text = "# Sshd\n\n## Fix\n\nRestart `sshd` on the host:\nsudo systemctl restart ssh (The classic fix).\nThen log in again.\n";
    const { parsed, document } = analyzeRunbook(text, { fileName: "sshd.md", document: true });
    expect(parsed.steps.map((s) => [s.foundBy, s.title, s.source])).toEqual([["plain-text", "Restart sshd on the host", "sudo systemctl restart ssh"]]);
    const html = JSON.stringify(document);
    expect(html).toContain("Restart <code>sshd</code> on the host:");
    expect(html).toContain("(The classic fix).");
    expect(html).toContain("Then log in again.");
    expect(html).not.toContain("systemctl restart ssh");
  });

  it("holds a plain command the text sends to another machine, as it does a formatted one", () => {
    const parsed = parseRunbook("# Disk\n\nSSH into the affected node and run:\nsudo journalctl --vacuum-size=500M\n", { fileName: "disk.md" });
    expect(parsed.steps).toHaveLength(1);
    expect(parsed.steps[0].runnable).toBe(false);
  });
});
