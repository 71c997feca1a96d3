import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { analyzeCommand, looksLikeCommand } from "./analyze-command";
import { assertionsFromComment, expectationFromComment } from "./expectations";
import { normalizeInputName, parseRunbook, renderCommandForAgent } from "./index";
import { splitCommands } from "./split-commands";

function analyze(source: string, comment?: string) {
  return analyzeCommand({ source, group: 1, ...(comment ? { comment } : {}) }, 1, { start: 1, end: 1 });
}

describe("renderCommandForAgent", () => {
  it("turns angle placeholders into variable references in every quoting context, nothing else changes", () => {
    expect(renderCommandForAgent("./scripts/rollback.sh <release_id>")).toBe('./scripts/rollback.sh "${release_id}"');
    expect(renderCommandForAgent(`curl -d '{"run_id":"<run_id>"}' "http://h/api/slots/<slot_id>/release"`)).toBe(
      `curl -d '{"run_id":"'"\${run_id}"'"}' "http://h/api/slots/\${slot_id}/release"`,
    );
    expect(renderCommandForAgent("cat < input.txt > out && echo <known-commit>")).toBe('cat < input.txt > out && echo "${known_commit}"');
    const untouched = `RUN_ID=$(curl -fsS -X POST http://127.0.0.1:8000/api/runs \\\n  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')`;
    expect(renderCommandForAgent(untouched)).toBe(untouched);
    expect(renderCommandForAgent({ source: "echo <run_id>" })).toBe('echo "${run_id}"');
  });

  it("renders commands a real shell runs with values passed as variables, never as code", () => {
    const rendered = renderCommandForAgent(`printf '%s\\n' '{"run_id":"<run_id>"}' <slot_id> "x-<slot_id>"`);
    // The values travel as environment variables, exactly how an agent would pass inputs.
    const env = { PATH: "/usr/bin:/bin", run_id: "abc-123", slot_id: "preview-1; touch /tmp/sitrep-parser-pwned" } as unknown as NodeJS.ProcessEnv;
    const out = execFileSync("/bin/bash", ["--norc", "--noprofile", "-c", rendered], { env, encoding: "utf8" });
    expect(out).toBe('{"run_id":"abc-123"}\npreview-1; touch /tmp/sitrep-parser-pwned\nx-preview-1; touch /tmp/sitrep-parser-pwned\n');
  });

  it("substitutes free-text placeholders like the others and leaves redirections alone", () => {
    expect(renderCommandForAgent("oc logs <router pod> -n ingress")).toBe('oc logs "${router_pod}" -n ingress');
    expect(renderCommandForAgent("NS='<namespace label from the alert>'")).toBe(`NS=''"\${namespace_label_from_the_alert}"''`);
    expect(renderCommandForAgent('echo "on <node name-2>"')).toBe('echo "on ${node_name_2}"');
    for (const redirect of ["sort < in.txt > out.txt", "wc -l <file", "sort <input >output", "cat <notes.txt", "tr a-z A-Z < <(echo x)", "cmd < a b >"]) {
      expect(renderCommandForAgent(redirect)).toBe(redirect);
    }
  });

  it("passes free-text placeholder values to a real shell as data", () => {
    const rendered = renderCommandForAgent(`printf '%s\\n' <router pod> 'ns=<namespace label from the alert>' "<router pod>"`);
    const env = { PATH: "/usr/bin:/bin", router_pod: "r-1 $(touch /tmp/sitrep-parser-pwned)", namespace_label_from_the_alert: "a'b; id" } as unknown as NodeJS.ProcessEnv;
    const out = execFileSync("/bin/bash", ["--norc", "--noprofile", "-c", rendered], { env, encoding: "utf8" });
    expect(out).toBe("r-1 $(touch /tmp/sitrep-parser-pwned)\nns=a'b; id\nr-1 $(touch /tmp/sitrep-parser-pwned)\n");
  });

  it("normalises input names", () => {
    expect(["RUN_ID", "run_id", "run-id", "runId"].map(normalizeInputName)).toEqual(["run_id", "run_id", "run_id", "run_id"]);
  });
});

describe("splitting a block into commands", () => {
  it("keeps continuation lines, open quotes, trailing pipes, heredocs and compound statements together", () => {
    const text = [
      "# first group",
      "curl -s \\",
      "  http://127.0.0.1:8080/healthz",
      "echo 'multi",
      "line'",
      "ps aux |",
      "  grep worker",
      "",
      "cat <<EOF > /tmp/x",
      "a # not a comment",
      "EOF",
      "if true; then",
      "  echo yes",
      "fi",
      "# second group",
      "for i in 1 2; do echo $i; done",
    ].join("\n");
    const commands = splitCommands(text);
    expect(commands.map((c) => [c.startOffset, c.endOffset, c.group, c.comment ?? null])).toEqual([
      [1, 2, 1, "first group"],
      [3, 4, 1, "first group"],
      [5, 6, 1, "first group"],
      [8, 10, 2, null],
      [11, 13, 2, null],
      [15, 15, 3, "second group"],
    ]);
  });

  it("reads console blocks by their prompts only", () => {
    const commands = splitCommands("$ curl -s http://127.0.0.1:8080/healthz\nok\n$ ls /tmp");
    expect(commands.map((c) => c.source)).toEqual(["curl -s http://127.0.0.1:8080/healthz", "ls /tmp"]);
    expect(splitCommands("# check\n$ uptime\n$ df -h").map((c) => c.source)).toEqual(["uptime", "df -h"]);
  });

  it("reads CRLF files like LF files", () => {
    const lf = splitCommands("curl -s \\\n  http://127.0.0.1:8080/healthz\n# note\nls");
    const crlf = splitCommands("curl -s \\\r\n  http://127.0.0.1:8080/healthz\r\n# note\r\nls");
    expect(crlf).toEqual(lf);
    expect(lf[0].source).toBe("curl -s \\\n  http://127.0.0.1:8080/healthz");
  });
});

describe("analysing one command", () => {
  it("recognises curl to the control API with method, headers, body and a JSON capture", () => {
    const c = analyze(`ID=$(curl -sS --request PUT -H "X-Token: abc" --data-raw '{"a":1}' http://localhost:8000/api/slots?x=1 | jq -r .slot.id)`);
    expect(c.kind).toBe("http");
    expect(c.http).toMatchObject({ api: "control", method: "PUT", path: "/api/slots?x=1", headers: { "X-Token": "abc" }, body: { raw: '{"a":1}', json: { a: 1 } } });
    expect(c.captures).toEqual([{ variable: "ID", input: "id", from: "json", path: ["slot", "id"] }]);
  });

  it("treats curl to other hosts, chains and unknown pipes as shell", () => {
    expect(analyze("curl -fsS https://api.example.com/health").kind).toBe("shell");
    expect(analyze("curl -s http://127.0.0.1:8080/metrics | grep oris_runtime_queue_depth").kind).toBe("shell");
    expect(analyze("curl -s http://127.0.0.1:8080/healthz && echo ok").kind).toBe("shell");
    expect(analyze("curl -s -I http://127.0.0.1:3101/").http).toMatchObject({ api: "surface", method: "HEAD", port: 3101 });
    expect(analyze("curl -s --json '{}' http://127.0.0.1:8000/api/slots/reap-expired").http).toMatchObject({
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
    });
  });

  it("captures plain stdout when the substitution is not an understood JSON extraction", () => {
    const c = analyze("NOW=$(date +%s)");
    expect(c.captures).toEqual([{ variable: "NOW", input: "now", from: "stdout", path: [] }]);
    expect(c.kind).toBe("shell");
  });

  it("keeps trailing comments and lets them set expectations", () => {
    const c = analyze("./scripts/rollback.sh nope # should fail: no such release");
    expect(c.comment).toBe("should fail: no such release");
    expect(c.expectation.exit).toBe("failure");
  });

  it("does not count single-quoted dollars as variables", () => {
    const c = analyze(`awk '{print $1}' "$LOG_FILE" $HOME/x`);
    expect(c.references.map((r) => r.name)).toEqual(["LOG_FILE", "HOME"]);
    const parsed = parseRunbook("# T\n\n```bash\nawk '{print $1}' \"$LOG_FILE\" $HOME/x\n```\n");
    expect(parsed.steps[0].placeholders.map((p) => [p.name, p.pattern])).toEqual([["log_file", "^[A-Za-z0-9._:/-]{1,128}$"]]);
  });
});

describe("expectations and assertions from comments", () => {
  it("reads failure phrasing", () => {
    for (const text of ["Expected failure (missing release target)", "this should fail", "Simulate failed deploy", "expect non-zero exit", "Expected to fail"]) {
      expect(expectationFromComment(text).exit).toBe("failure");
    }
    for (const text of ["Valid rollback", "Recover by releasing occupied slots.", undefined]) {
      expect(expectationFromComment(text).exit).toBe("success");
    }
  });

  it("proposes JSON and output assertions", () => {
    expect(assertionsFromComment("the third request should return status: \"queued\".")).toEqual([
      { kind: "json-equals", path: "status", value: "queued", attempt: 3, proposed: true, text: 'the third request should return status: "queued".' },
    ]);
    expect(assertionsFromComment("should return OK")).toEqual([{ kind: "output-contains", value: "OK", proposed: true, text: "should return OK" }]);
    expect(assertionsFromComment("count should return total 3")[0]).toMatchObject({ kind: "json-equals", path: "total", value: 3 });
    expect(assertionsFromComment("nothing to see")).toEqual([]);
  });
});

describe("which code spans are commands", () => {
  it("accepts commands and rejects names", () => {
    for (const yes of ["curl -fsS http://x/health", "./scripts/runtime-up.sh", "tail -n 200 /tmp/x.log", "cat infra/env", "createdb app", "scripts/deploy.sh v1", "FOO=1 ./run.sh"]) {
      expect(looksLikeCommand(yes)).toBe(true);
    }
    for (const no of ["oris_runtime_queue_depth", "/etc/oroboros/*.env", "run", "5xx", "incident_response.md", "/healthz", "PREVIEW_BACKEND_DATABASE_URL_TEMPLATE", "cat", "manual"]) {
      expect(looksLikeCommand(no)).toBe(false);
    }
  });

  it("reads a script only where it looks like one, and an input redirect before the command", () => {
    for (const yes of ["bash rotate-keys.sh", "rotate.sh --dry-run", "manage.py migrate", "/opt/tools/rotate.sh", "brew install kubectl", "< cert.pem openssl x509 -noout -enddate", "<req.json curl -d @- http://x/api"]) {
      expect([yes, looksLikeCommand(yes)]).toEqual([yes, true]);
    }
    for (const no of ["crt.sh ID", "crt.sh", "Ready", "GPU", "node_filesystem_avail_bytes", "kube_pod_status_ready", "brew", "< in.txt", "lookup.sh Website"]) {
      expect([no, looksLikeCommand(no)]).toEqual([no, false]);
    }
  });

  it("makes no prose step of a website name or of state names in a sentence", () => {
    const parsed = parseRunbook("# Certs\n\n- Look the serial up on `crt.sh ID` pages; wait until the node is `Ready` and has a `GPU`.\n- Print the dates with `< cert.pem openssl x509 -noout -dates`.\n");
    expect(parsed.steps.map((s) => [s.foundBy, s.source])).toEqual([["prose", "< cert.pem openssl x509 -noout -dates"]]);
  });
});

describe("free-text placeholders", () => {
  it("are inputs named from their words, inside quotes too, and described by them", () => {
    const parsed = parseRunbook("# Router\n\n```bash\noc logs <router pod> -n ingress\nNS='<namespace label from the alert>'\noc get pods -n \"$NS\"\n```\n\n```bash\noc delete pod <router pod> -n ingress\n```\n");
    const [logs, restart] = parsed.steps;
    expect(logs.placeholders.map((p) => [p.name, p.forms, p.description, p.assignedTo])).toEqual([
      ["router_pod", ["<router pod>"], "Router pod", []],
      ["namespace_label_from_the_alert", ["<namespace label from the alert>"], "Namespace label from the alert", ["NS"]],
    ]);
    expect(logs.commands.map((c) => c.placeholders)).toEqual([["router_pod"], ["namespace_label_from_the_alert"], []]);
    expect(restart.placeholders.map((p) => [p.name, p.description])).toEqual([["router_pod", "Router pod"]]);
    expect(parsed.placeholders.map((p) => p.name)).toEqual(["router_pod", "namespace_label_from_the_alert"]);
  });

  it("does not read redirections as inputs", () => {
    const parsed = parseRunbook("# Sort\n\n```bash\nsort < in.txt > out.txt\nsort <input >output\nwc -l <file\n```\n");
    expect(parsed.steps[0].placeholders).toEqual([]);
  });
});

describe("loop and read variables", () => {
  it("are set by the command itself", () => {
    expect(analyze("for ns in a b; do kubectl get pods -n $ns; done").locals).toEqual(["ns"]);
    expect(analyze("kubectl get pods -o name | while read -r pod; do kubectl delete \"$pod\"; done").locals).toEqual(["pod"]);
    expect(analyze("while IFS=, read -r name ns; do echo \"$name $ns\"; done < pods.csv").locals).toEqual(["name", "ns"]);
    expect(analyze('read -rp "Which pod? " POD').locals).toEqual(["POD"]);
    expect(analyze("read -t 5 -a ZONES").locals).toEqual(["ZONES"]);
    expect(analyze("select ctx in $(kubectl config get-contexts -o name); do kubectl config use-context \"$ctx\"; break; done").locals).toEqual(["ctx"]);
    expect(analyze("for i in 1 2\ndo\n  for host in $HOSTS; do ssh $host uptime; done\ndone").locals).toEqual(["i", "host"]);
    expect(analyze("echo ready; kubectl get nodes").locals).toEqual([]);
  });

  it("are not inputs of the step, while the lists they loop over are", () => {
    const md = [
      "# Loops",
      "",
      "```bash",
      "for ns in $NAMESPACES; do",
      "  kubectl get pods -n $ns",
      "done",
      "kubectl get pods -o name -n <namespace> | while read -r pod; do kubectl logs \"$pod\" --tail=5; done",
      'read -rp "Node: " NODE',
      "kubectl cordon $NODE",
      "```",
      "",
      "```bash",
      "kubectl get events -n $ns",
      "```",
      "",
    ].join("\n");
    const [loops, later] = parseRunbook(md).steps;
    expect(loops.placeholders.map((p) => p.name)).toEqual(["namespaces", "namespace"]);
    expect(loops.commands.map((c) => c.placeholders)).toEqual([["namespaces"], ["namespace"], [], []]);
    // A loop variable means nothing after its loop: a later step that uses the name asks for it.
    expect(later.placeholders.map((p) => [p.name, p.providedBy ?? null])).toEqual([["ns", null]]);
  });
});

describe("inputs across steps", () => {
  it("marks a variable captured or assigned by an earlier step as provided, and a fresh one as an input", () => {
    const md = [
      "# Chain",
      "",
      "## Create",
      "",
      "```bash",
      "RUN_ID=$(curl -fsS -X POST http://127.0.0.1:8000/api/runs -d '{}' | jq -r .id)",
      "DRILL_ROOT=/tmp/drill",
      "```",
      "",
      "## Use",
      "",
      "```bash",
      'curl -fsS -X POST "http://127.0.0.1:8000/api/runs/$RUN_ID/resume" -d \'{}\'',
      'ls "$DRILL_ROOT" "${TARGET_HOST}"',
      "```",
      "",
    ].join("\n");
    const parsed = parseRunbook(md);
    expect(parsed.lineCount).toBe(15);
    expect(parsed.sections.map((s) => [s.id, s.startLine, s.endLine])).toEqual([
      ["create", 3, 9],
      ["use", 10, 15],
    ]);
    const [create, use] = parsed.steps;
    expect(create.placeholders).toEqual([]);
    expect(use.placeholders.map((p) => [p.name, p.forms, p.providedBy?.via ?? null])).toEqual([
      ["run_id", ["$RUN_ID"], "capture"],
      ["drill_root", ["$DRILL_ROOT"], "assignment"],
      ["target_host", ["${TARGET_HOST}"], null],
    ]);
    expect(use.placeholders[1].providedBy).toMatchObject({ stepId: create.id, variable: "DRILL_ROOT", value: "/tmp/drill" });
    expect(use.commands[0].http?.path).toBe("/api/runs/$RUN_ID/resume");
    expect(parsed.placeholders.find((p) => p.name === "target_host")?.providedBy).toBeUndefined();
  });
});
