import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { alertNameFromFile, parseRunbook, renderCommandForAgent, sectionKind, slugFromFileName, type ParsedRunbook } from "./index";

// A small corpus in the styles of public runbook repositories (written here): per file, the steps
// found and how, the inputs, the front matter, and a file whose one unreadable shell line does not
// stop the rest.

const dir = path.join(import.meta.dirname, "corpus");
const read = (name: string): ParsedRunbook => parseRunbook(fs.readFileSync(path.join(dir, name), "utf8"), { fileName: name });
const found = (p: ParsedRunbook) => p.steps.map((s) => [s.foundBy, s.source]);

describe("test corpus", () => {
  it("KubePodCrashLooping.md: front matter, sections by kind, commands in sentences, names that are not commands", () => {
    const p = read("KubePodCrashLooping.md");
    expect(p.title).toBe("Pod is crash looping");
    expect(p.slug).toBe("kubepodcrashlooping");
    expect(p.metadata).toMatchObject({
      alerts: ["KubePodCrashLooping"],
      aliases: ["/runbooks/kubernetes/kubepodcrashlooping/"],
      severity: "warning",
      owner: "team-platform",
      weight: 20,
      tags: ["kubernetes", "workloads"],
    });
    expect(p.sections.map((s) => [s.title, s.kind])).toEqual([
      ["Meaning", "meaning"],
      ["Impact", "impact"],
      ["Diagnosis", "diagnosis"],
      ["Mitigation", "mitigation"],
    ]);
    expect(found(p)).toEqual([
      ["prose", "kubectl -n $NAMESPACE describe pod $POD"],
      ["prose", "kubectl -n $NAMESPACE logs $POD --previous"],
      ["shell-fence", "$ kubectl -n $NAMESPACE get pod $POD -o wide\nNAME   READY   STATUS             RESTARTS\napi-1  0/1     CrashLoopBackOff   7"],
      ["prose", "kubectl -n $NAMESPACE rollout undo deploy/<deployment>"],
    ]);
    // The console block runs its prompted line only; the output lines are not commands.
    expect(p.steps[2].commands.map((c) => c.source)).toEqual(["kubectl -n $NAMESPACE get pod $POD -o wide"]);
    expect(p.placeholders.map((x) => x.name).sort()).toEqual(["deployment", "namespace", "pod"]);
    expect(p.placeholders.find((x) => x.name === "namespace")?.forms).toEqual(["$NAMESPACE"]);
    // The rule is a reference block (copy, never run).
    expect(p.references).toEqual([expect.objectContaining({ language: "yaml", sectionId: "meaning" })]);
    expect(p.steps.every((s) => s.runnable)).toBe(true);
    expect(p.warnings).toEqual([]);
  });

  it("NodeFilesystemAlmostFull.md: the file name is the alert; alert templates and <placeholders> are inputs; promql is reference", () => {
    const p = read("NodeFilesystemAlmostFull.md");
    expect(p.metadata.alerts).toEqual(["NodeFilesystemAlmostFull"]);
    expect(found(p)).toEqual([
      ["shell-fence", "# Largest folders first\ndu -xh <mountpoint> --max-depth=2 | sort -rh | head -20\nssh {{ $labels.instance }} df -h"],
      ["shell-fence", "journalctl --vacuum-size=500M"],
    ]);
    expect(p.steps[0].placeholders.map((x) => [x.name, x.forms])).toEqual([
      ["mountpoint", ["<mountpoint>"]],
      ["instance", ["{{ $labels.instance }}"]],
    ]);
    expect(p.references.map((r) => r.language)).toEqual(["promql"]);
  });

  it("etcd-backup.md: an unreadable shell line stays visible, not runnable, with a warning naming it; the rest imports", () => {
    const p = read("etcd-backup.md");
    expect(p.steps).toHaveLength(2);
    const [snapshot, check] = p.steps;
    expect(snapshot.runnable).toBe(false);
    expect(snapshot.commands.map((c) => [c.startLine, !!c.unreadable])).toEqual([
      [9, false],
      [10, true],
    ]);
    expect(p.warnings).toEqual([expect.stringMatching(/^Line 10: `etcdctl --endpoints=https:\/\/\$\{NODE IP ADDRESS\}:2379 endpoint health` could not be read as a shell command \(Bad substitution.*\); it is shown but cannot run\.$/)]);
    expect(check).toMatchObject({ runnable: true, foundBy: "shell-fence" });
    expect(p.metadata).toMatchObject({ severity: "SEV2", owner: "platform", alerts: [] });
  });

  it("postgres-failover.md: an unlabelled fence read as commands inside a list, sql as reference, checklists", () => {
    const p = read("postgres-failover.md");
    expect(found(p)).toEqual([
      ["bare-fence", "systemctl stop app-writer.service\n./scripts/drain-writers.sh --wait 60"],
      ["shell-fence", "pg_ctl promote -D /var/lib/postgresql/data\npsql -h db-2 -c 'select pg_is_in_recovery()'"],
    ]);
    expect(p.steps[0]).toMatchObject({ title: "Stop writers", sectionPath: ["Before you start"] });
    expect(p.references.map((r) => r.language)).toEqual(["sql"]);
    expect(p.checklists.map((c) => [c.title, c.kind, c.items.map((i) => i.manual)])).toEqual([
      ["Before you start", "ordered", [true, true, false]],
      ["Verification", "task", [true, true]],
    ]);
    expect(p.checklists[0].items[1].children.map((c) => c.text)).toEqual(["lag on each replica", "the last WAL position received"]);
    expect(p.tables[0].rows).toEqual([
      { Host: "db-1", Role: "primary", Port: "5432" },
      { Host: "db-2", Role: "replica", Port: "5432" },
    ]);
    expect(p.placeholders).toEqual([]);
  });

  it("etcdMembersDown.md: a lowercase alert name, free-text placeholders, loop variables, sentences that are not section kinds", () => {
    const p = read("etcdMembersDown.md");
    expect(p.metadata.alerts).toEqual(["etcdMembersDown"]);
    expect(p.sections.map((s) => [s.title, s.kind])).toEqual([
      ["Impact", "impact"],
      ["Diagnosis steps", "diagnosis"],
      ["Remediation", "mitigation"],
      ["Recovery validation", "verification"],
      ["Escalation contacts", "escalation"],
    ]);
    expect(p.sections[1].children.map((s) => [s.title, s.kind ?? null])).toEqual([["Check the logs of the member that is down", null]]);
    // `Ready` and `crt.sh ID` are names in a sentence, not steps.
    expect(found(p).map(([by]) => by)).toEqual(["shell-fence", "prose", "shell-fence"]);
    expect(p.steps[1].source).toBe("oc logs <member pod> -n openshift-etcd --tail=100");
    expect(p.steps.map((s) => s.placeholders.map((x) => [x.name, x.forms, x.assignedTo]))).toEqual([
      [["namespace_label_from_the_alert", ["<namespace label from the alert>"], ["ETCD_NS"]]],
      [["member_pod", ["<member pod>"], []]],
      [],
    ]);
    expect(p.placeholders.map((x) => [x.name, x.description])).toEqual([
      ["namespace_label_from_the_alert", "Namespace label from the alert"],
      ["member_pod", "Member pod"],
    ]);
    expect(renderCommandForAgent(p.steps[1].commands[0])).toBe('oc logs "${member_pod}" -n openshift-etcd --tail=100');
    expect(p.warnings).toEqual([]);
  });

  it("KubeletDown.md: TOML front matter (Hugo), a login the text asks for, {name} inputs, layout tags", () => {
    const p = read("KubeletDown.md");
    expect(p.title).toBe("Kubelet is not reporting");
    expect(p.metadata).toMatchObject({ alerts: ["KubeletDown"], tags: ["kubernetes", "nodes"], severity: "critical", owner: "node-platform", weight: 30, other: { date: "2026-03-14" } });
    expect(p.sections.map((s) => s.kind)).toEqual(["meaning", "diagnosis", "mitigation"]);
    // "Restart the kubelet on the node" before `sudo systemctl …`: that node, not the agent's host.
    expect(p.steps.map((s) => [s.foundBy, s.runnable])).toEqual([
      ["prose", true],
      ["shell-fence", false],
      ["shell-fence", false],
      ["prose", true],
    ]);
    expect(p.steps[1].commands[0].unreadable).toMatch(/^the text says to run it in a session on the affected worker node/);
    expect(p.steps[2].commands[0].unreadable).toMatch(/^the text says to run it in a session on the node \("on the node"\)/);
    expect(p.placeholders.map((x) => [x.name, x.forms])).toEqual([["node_name", ["{node_name}"]]]);
    expect(renderCommandForAgent(p.steps[3].commands[0])).toBe('kubectl drain "${node_name}" --ignore-daemonsets --delete-emptydir-data');
    expect(p.warnings).toEqual([expect.stringMatching(/^Line 29: the text says to run this step in a session on the affected worker node/), expect.stringMatching(/^Line 46: /)]);
  });

  it("quick-notes.md: no steps; its links to unwritten runbooks are pending with the targets' slugs", () => {
    const p = read("quick-notes.md");
    expect(p.steps).toEqual([]);
    expect(p.links.map((l) => [l.targetSlug, l.pending, l.text])).toEqual([
      ["oauth-outage", true, "the OAuth outage runbook"],
      ["token-rotation", true, "token rotation"],
    ]);
  });
});

describe("section kinds", () => {
  it("names the well-known headings and their usual variants", () => {
    const cases: Array<[string, string]> = [
      ["Meaning", "meaning"],
      ["What does this alert mean?", "meaning"],
      ["Business impact", "impact"],
      ["Diagnosis steps", "diagnosis"],
      ["How to investigate", "diagnosis"],
      ["2) Triage", "diagnosis"],
      ["Diagnosis and mitigation", "diagnosis"],
      ["3. Mitigation:", "mitigation"],
      ["Resolution", "mitigation"],
      ["Remediation procedure", "mitigation"],
      ["Step 4: Recovery", "mitigation"],
      ["Recovery validation", "verification"],
      ["Verification (after the fix)", "verification"],
      ["Escalation contacts", "escalation"],
      ["Contacts", "escalation"],
      // A kind's noun heads a longer title too; "escalate to" names whom to call.
      ["3. Triage data to collect", "diagnosis"],
      ["Escalate to the database team", "escalation"],
      ["Impact on billing", "impact"],
      ["Mitigation for a full disk", "mitigation"],
      ["Possible resolutions", "mitigation"],
      ["Possible causes", "diagnosis"],
    ];
    expect(cases.map(([title]) => [title, sectionKind(title)])).toEqual(cases);
  });

  it("gives no kind to sentences that start with a verb or to names joined to other words", () => {
    for (const title of ["Verify the status of the pods", "Fix alerts before continuing", "Check the logs", "recovery/status", "Validation Log", "Alerting rules", "Recover the node"]) {
      expect([title, sectionKind(title)]).toEqual([title, undefined]);
    }
  });
});

describe("alert names from file names", () => {
  it("takes camel case names with two humps, lowercase starts too", () => {
    expect(["etcdMembersDown.md", "KubePodCrashLooping.md", "docs/alerts/cephOsdNearFull.markdown", "TargetDown.md"].map(alertNameFromFile)).toEqual([
      "etcdMembersDown",
      "KubePodCrashLooping",
      "cephOsdNearFull",
      "TargetDown",
    ]);
    expect(parseRunbook("# Members down\n", { fileName: "etcdMembersDown.md" }).metadata.alerts).toEqual(["etcdMembersDown"]);
  });

  it("keeps plain words, kebab and snake names out", () => {
    for (const name of ["readme.md", "README.md", "oauth-outage.md", "index.md", "database.md", "Database.md", "disk_full.md", "etcd.md", "v2Notes-old.md", undefined]) {
      expect([name, alertNameFromFile(name)]).toEqual([name, null]);
    }
  });

  it("takes a heading that is an alert's name in a file named otherwise, but not a product's name", () => {
    const alertsOf = (markdown: string, fileName: string) => parseRunbook(markdown, { fileName }).metadata.alerts;
    expect(alertsOf("## ManagedClusterCertRotationFailed\n\nText.\n", "cert_rotation_failed.md")).toEqual(["ManagedClusterCertRotationFailed"]);
    expect(alertsOf("# QueueDown\n", "queue_down.md")).toEqual(["QueueDown"]);
    expect(alertsOf("# etcdNoLeader\n", "etcdNoLeader.md")).toEqual(["etcdNoLeader"]);
    for (const [heading, file] of [["PostgreSQL", "postgres.md"], ["GitLab", "gitlab.md"], ["CoreDNS", "dns.md"], ["Queue down", "queue_down.md"]]) {
      expect([heading, alertsOf(`# ${heading}\n`, file)]).toEqual([heading, []]);
    }
  });
});

describe("slugs from file names", () => {
  it("names a folder's index page after its folder, and a file after itself", () => {
    expect(["kubernetes/_index.md", "alerts/etcd/README.md", "index.md", "../README.md", "ops/incident_response.md", "x/y/KubeletDown.md#meaning"].map(slugFromFileName)).toEqual([
      "kubernetes",
      "etcd",
      "index",
      "readme",
      "incident-response",
      "kubeletdown",
    ]);
    expect(parseRunbook("# Etcd\n\nThe etcd alerts.\n", { fileName: "etcd/README.md" }).slug).toBe("etcd");
  });
});
