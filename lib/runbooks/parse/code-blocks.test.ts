import { describe, expect, it } from "vitest";
import { analyzeRunbook, parseRunbook, renderCommandForAgent } from "./index";

// Code blocks as real runbook repositories write them: terminal transcripts under any label,
// queries and log lines under shell labels, unlabelled and indented blocks with output after the
// command. The examples are ours; the shapes come from public runbook collections.

const fence = (info: string, ...lines: string[]) => ["```" + info, ...lines, "```"].join("\n");
const runbook = (...blocks: string[]) => parseRunbook(["# Disk filling up", "", "## Diagnosis", "", ...blocks.flatMap((b) => [b, ""])].join("\n"), { fileName: "disk.md" });
const commandsOf = (r: ReturnType<typeof parseRunbook>) => r.steps.map((s) => s.commands.map((c) => c.source));

describe("transcripts (prompted lines) under any label", () => {
  it("runs only the prompted lines of a bash block, without the prompt; the lines after them are output", () => {
    const r = runbook(fence("bash", "$ kubectl get pvc -n storage", "NAME      STATUS   CAPACITY", "data-0    Bound    20Gi", "$ df -h /var/lib/data"));
    expect(commandsOf(r)).toEqual([["kubectl get pvc -n storage", "df -h /var/lib/data"]]);
    expect(r.references).toEqual([]);
  });

  it("knows `$> ` and user@host prompts, also in an unlabelled block", () => {
    expect(commandsOf(runbook(fence("sh", "$> kubectl top nodes", "node-a   12%")))).toEqual([["kubectl top nodes"]]);
    const r = runbook(fence("", "ops@store-02:~$ sudo ss -tlnp", "LISTEN 0 128 *:5432", "[root@store-02 data]# du -sh /var/lib/data"));
    expect(commandsOf(r)).toEqual([["sudo ss -tlnp", "du -sh /var/lib/data"]]);
    expect(r.steps[0].foundBy).toBe("bare-fence");
    const spaced = runbook(fence("bash", "ops@store-02 ~ $ curl -sI https://status.internal", "HTTP/2 200"));
    expect(commandsOf(spaced)).toEqual([["curl -sI https://status.internal"]]);
  });

  it("keeps a prompted command's continuation lines, with or without the secondary prompt", () => {
    const r = runbook(fence("console", "$ kubectl get events \\", ">   -n storage --sort-by=.lastTimestamp", "LAST SEEN   TYPE", "$ uptime"));
    expect(commandsOf(r)).toEqual([["kubectl get events \\\n  -n storage --sort-by=.lastTimestamp", "uptime"]]);
  });

  it("does not take a test bracket or a comment for a prompt", () => {
    const r = runbook(fence("bash", "# the usage first", "[ -d /var/lib/data ] && du -sh /var/lib/data", "df -h"));
    expect(commandsOf(r)).toEqual([["[ -d /var/lib/data ] && du -sh /var/lib/data", "df -h"]]);
  });
});

describe("session blocks without prompts", () => {
  it("a console block whose lines are commands is a step", () => {
    expect(commandsOf(runbook(fence("console", "kubectl -n storage logs -l app=writer --tail=50")))).toEqual([["kubectl -n storage logs -l app=writer --tail=50"]]);
  });

  it("a console block holding a query is a reference, without a warning about comments", () => {
    const r = runbook(fence("console", "sum by (instance) (rate(disk_writes_total[5m]))"));
    expect(r.steps).toEqual([]);
    expect(r.references).toHaveLength(1);
    expect(r.warnings.join(" ")).not.toMatch(/only comments/);
  });
});

describe("what a shell label does not make a command", () => {
  it("a query under `sh` is a reference with a warning, not a step that runs `100`", () => {
    const r = runbook(fence("sh", "100 * sum(rate(disk_errors_total[5m]))", "  / sum(rate(disk_ops_total[5m]))"));
    expect(r.steps).toEqual([]);
    expect(r.references).toHaveLength(1);
    expect(r.warnings.some((w) => /sh block reads as no shell command/.test(w))).toBe(true);
  });

  it("a PromQL query under `sh` that starts with a function is a reference too", () => {
    const r = runbook(fence("sh", "sum without (code) (rate(http_errors_total[5m]))", "  / sum without (code) (rate(http_requests_total[5m]))"));
    expect(r.steps).toEqual([]);
  });

  it("an output line `name=value` with a number after it (openssl's `notAfter=…`) is a reference, not a step", () => {
    const r = runbook(fence("shell", "notAfter=Mar  3 09:15:00 2031 GMT"));
    expect(r.steps).toEqual([]);
    expect(r.references).toHaveLength(1);
    expect(commandsOf(runbook(fence("shell", "STORE=primary ./scripts/failover.sh", "LIMIT=10 kubectl top pods")))).toEqual([["STORE=primary ./scripts/failover.sh", "LIMIT=10 kubectl top pods"]]);
  });

  it("a command that starts with a variable or a quoted path is shell", () => {
    expect(commandsOf(runbook(fence("bash", '"$TOOL" --now')))).toEqual([['"$TOOL" --now']]);
    expect(commandsOf(runbook(fence("sh", '"./scripts/re"start.sh')))).toEqual([['"./scripts/re"start.sh']]);
  });

  it("a script under `bash` with one recognisable command stays a step with every command", () => {
    expect(commandsOf(runbook(fence("bash", "kubectl -n storage get pods", "my-internal-tool --check")))).toEqual([["kubectl -n storage get pods", "my-internal-tool --check"]]);
  });
});

describe("unlabelled and indented blocks", () => {
  it("an unlabelled block runs its commands, not the help text printed after them", () => {
    const r = runbook(fence("", "./tools/compact.sh -h", "", "Compacts the write-ahead log", "options", " -m mode"));
    expect(commandsOf(r)).toEqual([["./tools/compact.sh -h"]]);
  });

  it("an indented code block is read like an unlabelled fence", () => {
    const r = parseRunbook(["# Leader lost", "", "## Diagnosis", "", "Look at the lease first:", "", "    oc get lease -n cluster-network", "", "The holder is named in it:", "", "    holderIdentity: node-a", ""].join("\n"), { fileName: "leader.md" });
    expect(commandsOf(r)).toEqual([["oc get lease -n cluster-network"]]);
    expect(r.steps[0]).toMatchObject({ foundBy: "bare-fence", startLine: 7 });
    // No fence line before it: the command stands on the block's first line.
    expect(r.steps[0].commands[0]).toMatchObject({ startLine: 7, endLine: 7 });
    expect(r.references).toHaveLength(1);
  });
});

describe("scripts", () => {
  it("skips the shebang, keeps a function's body in one command and a heredoc inside `$( )` readable", () => {
    const r = runbook(
      fence(
        "bash",
        "#!/usr/bin/env bash",
        "pods_of() {",
        '  kubectl get pods -n "$1" -o name',
        "}",
        'kubectl patch statefulset writer -p "$(cat <<JSON',
        '{"spec": {"replicas": 3}}',
        "JSON",
        ')"',
        "df -h",
      ),
    );
    expect(commandsOf(r)).toEqual([["pods_of() {\n  kubectl get pods -n \"$1\" -o name\n}", 'kubectl patch statefulset writer -p "$(cat <<JSON\n{"spec": {"replicas": 3}}\nJSON\n)"', "df -h"]]);
    expect(r.steps[0].commands.every((c) => !c.unreadable)).toBe(true);
    expect(r.steps[0].runnable).not.toBe(false);
  });
});

describe("the title of a file without a level-1 heading", () => {
  it("is its first level-2 heading, setext or not, unless that is a section name", () => {
    const titled = parseRunbook("## Certificate renewal for the edge\n\nText.\n\n## Renew\n\n- Renew with `certbot renew --dry-run`.\n", { fileName: "certs.md" });
    expect(titled.title).toBe("Certificate renewal for the edge");
    expect(titled.sections.map((s) => s.title)).toEqual(["Renew"]);
    expect(titled.warnings.join(" ")).not.toMatch(/No level-1 heading/);
    expect(parseRunbook("Queue stuck\n-----------\n\nText.\n", { fileName: "queue.md" }).title).toBe("Queue stuck");
    const named = parseRunbook("## Overview\n\nText.\n\n## Mitigation\n\nMore.\n", { fileName: "queue-stuck.md" });
    expect(named.title).toBe("queue-stuck");
    expect(named.sections.map((s) => s.title)).toEqual(["Overview", "Mitigation"]);
  });

  it("is not a level-2 heading that follows text (an appendix at the end)", () => {
    expect(parseRunbook("Restart the worker when it hangs.\n\n## Side note\n\nMore.\n", { fileName: "worker-hang.md" }).title).toBe("worker-hang");
  });

  it("is never a level-2 heading when the file has a level-1 heading further down", () => {
    const r = parseRunbook("## Note\n\nDraft.\n\n# Real title\n", { fileName: "x.md" });
    expect(r.sections.map((s) => s.title)).toContain("Note");
  });
});

describe("variables set inside a command", () => {
  it("an assignment or a declaration in a function body is not an input; a prefix before a command is", () => {
    const r = runbook(
      fence(
        "bash",
        "usage_of() {",
        '  local dir="$1"',
        '  size=$(du -sh "$dir" | cut -f1)',
        '  export LAST_SIZE="$size"',
        '  echo "$dir: $size of $LIMIT"',
        "}",
        'TARGET=/var/lib/data kubectl exec writer-0 -- ls "$TARGET"',
      ),
    );
    expect(r.placeholders.map((p) => p.name).sort()).toEqual(["limit", "target"]);
  });
});

describe("more prompts and captures", () => {
  it("knows a host-name prompt and a zsh theme's arrow", () => {
    expect(commandsOf(runbook(fence("", "cache-01$ redis-cli -h 10.1.0.4 info replication", "role:master")))).toEqual([["redis-cli -h 10.1.0.4 info replication"]]);
    expect(commandsOf(runbook(fence("", "➜  ~ redis-cli cluster info", "cluster_state:ok")))).toEqual([["redis-cli cluster info"]]);
  });

  it("an exported or commented capture provides the variable to later steps", () => {
    const r = runbook(fence("bash", "export NS=$(kubectl get ns -o name | head -1)", 'zone="$(gcloud config get compute/zone)"  # where the nodes are'), "Then:", fence("bash", "kubectl get pods -n $NS", "gcloud compute instances list --zones $zone"));
    expect(r.placeholders.filter((p) => !p.providedBy).map((p) => p.name)).toEqual([]);
    expect(r.steps[0].commands[1].comment).toBe("where the nodes are");
  });
});

describe("unlabelled blocks that set variables or loop", () => {
  it("a capture, a loop over commands and a program under /opt are commands", () => {
    expect(commandsOf(runbook(fence("", "POD=$(kubectl get pods -l app=web -o name | head -1)")))).toEqual([["POD=$(kubectl get pods -l app=web -o name | head -1)"]]);
    expect(commandsOf(runbook(fence("", "for n in 1 2 3; do kubectl get pod web-$n; done")))).toEqual([["for n in 1 2 3; do kubectl get pod web-$n; done"]]);
    expect(commandsOf(runbook(fence("", "/opt/cache/bin/redis-cli -h 10.1.0.4 --scan")))).toEqual([["/opt/cache/bin/redis-cli -h 10.1.0.4 --scan"]]);
  });
});

describe("a paragraph that is only a command", () => {
  it("is a step titled by its lead-in; a paragraph that mentions a command in a sentence is not", () => {
    const r = runbook("Read the rendered configuration:", "`cat /etc/app/config.yml`", "The file `/etc/app/config.yml` holds the limits.", "`Ready`");
    expect(r.steps.map((s) => [s.foundBy, s.title, s.source])).toEqual([["prose", "Read the rendered configuration", "cat /etc/app/config.yml"]]);
  });
});

describe("what the review found", () => {
  it("a prompt-like line inside a script does not make it a transcript", () => {
    expect(commandsOf(runbook(fence("bash", "set -e", "[ -f /var/run/app.pid ] # stop the app first", "rm -rf /var/lib/app/cache")))).toEqual([["set -e", "[ -f /var/run/app.pid ] # stop the app first", "rm -rf /var/lib/app/cache"]]);
    expect(commandsOf(runbook(fence("bash", "cat > /etc/motd <<'EOF'", "$ sudo systemctl restart app", "EOF", "systemctl status app")))).toEqual([["cat > /etc/motd <<'EOF'\n$ sudo systemctl restart app\nEOF", "systemctl status app"]]);
  });

  it("a line among an unlabelled block's commands that does not read as shell makes it not runnable, never dropped", () => {
    const r = runbook(fence("", "cd /srv/app/releases", "Now in the releases folder", "rm -rf build"));
    expect(commandsOf(r)).toEqual([["cd /srv/app/releases", "Now in the releases folder", "rm -rf build"]]);
    expect(r.steps[0].runnable).toBe(false);
    // A program of any name among the commands is a command.
    const tools = runbook(fence("", "cd /srv/app", "bundle install", "kubectl rollout restart deploy/app"));
    expect(tools.steps[0].runnable).not.toBe(false);
  });

  it("a redirect followed by a descriptor is no free-text input", () => {
    const r = runbook(fence("bash", "while read h; do ping -c1 $h; done <hosts 2>&1", "mysql app <dump 2>/dev/null"));
    expect(r.placeholders.map((p) => p.name)).toEqual([]);
  });

  it("a function with its brace on the next line, and a quoted brace, stay one command", () => {
    const r = runbook(fence("bash", "report()", "{", '  echo "', '}"', "  df -h", "}", "report"));
    expect(commandsOf(r)).toEqual([['report()\n{\n  echo "\n}"\n  df -h\n}', "report"]]);
  });
});

describe("layout tags from real repositories", () => {
  it("a <details> block is shown open, its summary in bold, and the step inside it is found", () => {
    const md = "# Disk full\n\n## Diagnosis\n\n<details>\n<summary>How to find the big files</summary>\n\n```shell\ndu -sh /var/log/* | sort -h\n```\n\n</details>\n\nThen clean up.\n";
    const { parsed, document } = analyzeRunbook(md, { fileName: "disk.md", document: true });
    expect(parsed.steps.map((s) => s.source)).toEqual(["du -sh /var/log/* | sort -h"]);
    expect(parsed.steps[0].description).toBe("How to find the big files");
    const html = JSON.stringify(document);
    expect(html).toContain("<strong>How to find the big files</strong>");
    expect(html).not.toMatch(/details|&lt;/);
  });
});

describe("placeholders as other styles write them", () => {
  const step = (command: string) => runbook(fence("shell", command)).steps[0];

  it("`{name}` and `[name_part]` standing as words are inputs, quoted when rendered for the agent", () => {
    const annotate = step("kubectl annotate pod {pod-name} sitrep/reason={reason}");
    expect(annotate.placeholders.map((p) => p.name)).toEqual(["pod_name", "reason"]);
    expect(renderCommandForAgent(annotate.commands[0])).toBe('kubectl annotate pod "${pod_name}" sitrep/reason="${reason}"');
    expect(renderCommandForAgent(step("kill -9 [connection_id]").commands[0])).toBe('kill -9 "${connection_id}"');
    expect(step("curl https://api.example.org/v1/users/{user_id}/sessions").placeholders.map((p) => p.name)).toEqual(["user_id"]);
    // Joined to other text, and one word in capitals in brackets.
    expect(renderCommandForAgent(step("kubectl get secret -n {namespace} {cluster-name}-creds mongo-{pod}").commands[0])).toBe('kubectl get secret -n "${namespace}" "${cluster_name}"-creds mongo-"${pod}"');
    expect(renderCommandForAgent(step("helm install [RELEASE_NAME] [CHART]").commands[0])).toBe('helm install "${release_name}" "${chart}"');
  });

  it("leaves globs, brace expansion, quoted text, find's and xargs' replacement strings, and tests alone", () => {
    for (const command of [
      "ls /var/log/[a-z]* /tmp/[A-Za-z0-9]",
      "kubectl get pods -o name | xargs -I {pod} kubectl delete {pod}",
      "jq '{name}' file.json && echo {a,b} {1..3} ${HOME}",
      "find . -name '*.log' -exec rm {} +",
      "if [ -f x ]; then { echo ok; }; fi",
      "echo [warning]",
      "ps aux | awk {print}",
      "kubectl get pods --no-headers | gawk {next}",
    ]) {
      const s = step(command);
      expect(s.placeholders, command).toEqual([]);
      expect(renderCommandForAgent(s.commands[0]), command).toBe(command);
    }
  });
});

describe("a root prompt naming the host", () => {
  it("`ncn-m001# cray …` is a transcript: the prompted lines run, the rest is output", () => {
    const r = runbook(fence("bash", "ncn-m001# cray cfs sessions list --format json", "[]", "ncn-m001# ip a show bond0"));
    expect(commandsOf(r)).toEqual([["cray cfs sessions list --format json", "ip a show bond0"]]);
    // A comment is still a comment.
    expect(commandsOf(runbook(fence("bash", "# list the sessions", "cray cfs sessions list")))).toEqual([["cray cfs sessions list"]]);
  });
});

describe("what the gitlab-style runbooks write", () => {
  it("a free-text placeholder with punctuation is an input; choices in brackets make the step not runnable", () => {
    const env = runbook(fence("shell", "ENVIRONMENT=<enter the environment, eg. gstg or gprd>", "knife ssh roles:$ENVIRONMENT-base 'uptime'")).steps[0];
    expect(env.placeholders.map((p) => [p.name, p.description])).toEqual([["enter_the_environment_eg_gstg_or_gprd", "Enter the environment, eg. gstg or gprd"]]);
    const pick = runbook(fence("shell", "gcloud compute disks list --project [gitlab-staging-1|gitlab-production]")).steps[0];
    expect(pick.runnable).toBe(false);
    expect(pick.commands[0].unreadable).toMatch(/offers choices in brackets/);
    // Inside quotes it is the program's own text (a regular expression here).
    expect(runbook(fence("shell", "grep -E '[error|fatal]' /var/log/app.log")).steps[0].runnable).not.toBe(false);
  });
});
