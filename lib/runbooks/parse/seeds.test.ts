import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRunbook, type ParsedRunbook, type Step } from "./index";

const SEEDS = path.resolve(process.cwd(), "../shared/seeds");

function seed(prefix: string): { text: string; parsed: ParsedRunbook } {
  const file = fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`seed ${prefix} not found in ${SEEDS}`);
  const text = fs.readFileSync(path.join(SEEDS, file), "utf8");
  return { text, parsed: parseRunbook(text, { fileName: file }) };
}

function stepIn(parsed: ParsedRunbook, sectionPrefix: string): Step {
  const step = parsed.steps.find((s) => s.sectionPath.some((t) => t.startsWith(sectionPrefix)));
  if (!step) throw new Error(`no step under ${sectionPrefix}`);
  return step;
}

describe("seed 000: operator incident and rollback drills", () => {
  const { text, parsed } = seed("000_");

  it("finds one step per fenced block with its kind", () => {
    expect(parsed.title).toBe("Operator Incident and Rollback Runbook (Host-Only)");
    expect(parsed.steps.map((s) => [s.sectionPath[0], s.kind, s.origin])).toEqual([
      ["1) Readiness / Baseline", "shell", "fence"],
      ["2) Worker Timeout Recovery (API Contract)", "http", "fence"],
      ["3) Slot Exhaustion and Recovery", "http", "fence"],
      ["4) Failed Deploy Drill (Isolated Host Deploy Root)", "shell", "fence"],
      ["5) Rollback Command Validation", "shell", "fence"],
      ["6) Failed Preview Reset/Migration Drill and Recovery", "shell", "fence"],
      ["7) Post-Incident Verification", "mixed", "fence"],
      ["Notes", "shell", "fence"],
    ]);
    expect(parsed.warnings).toEqual([]);
    // Step sources are exact slices of the file.
    for (const step of parsed.steps) expect(text).toContain(step.source);
    expect(new Set(parsed.steps.map((s) => s.id)).size).toBe(parsed.steps.length);
  });

  it("§2 creates a run, captures RUN_ID from the JSON id, and feeds transition and resume", () => {
    const step = stepIn(parsed, "2)");
    expect(step.commands).toHaveLength(3);
    const [create, transition, resume] = step.commands;
    expect(create.http).toMatchObject({ api: "control", method: "POST", path: "/api/runs", port: 8000 });
    expect(create.http?.body?.json).toEqual({ title: "timeout drill", prompt: "simulate timeout", route: "/codex" });
    expect(create.captures).toEqual([{ variable: "RUN_ID", input: "run_id", from: "json", path: ["id"] }]);
    expect(transition.http).toMatchObject({ method: "POST", path: "/api/runs/${RUN_ID}/transition" });
    expect(transition.http?.body?.json).toEqual({ to_status: "failed", failure_reason_code: "AGENT_TIMEOUT" });
    expect(resume.http).toMatchObject({ method: "POST", path: "/api/runs/${RUN_ID}/resume", body: { raw: "{}", json: {} } });
    expect(transition.http?.headers).toEqual({ "Content-Type": "application/json" });
    expect(transition.http?.failOnHttpError).toBe(true);
    // RUN_ID is captured inside the step, so the step needs no input for it.
    expect(step.placeholders).toEqual([]);
    expect(step.captures.map((c) => c.variable)).toEqual(["RUN_ID"]);
  });

  it("§3 slot acquire carries the proposed WAITING_FOR_SLOT assertion on attempt 4", () => {
    const step = stepIn(parsed, "3)");
    const [acquire, release] = step.commands;
    expect(acquire.http).toMatchObject({ api: "control", method: "POST", path: "/api/slots/acquire" });
    expect(acquire.comment).toMatch(/4th should return queue_reason WAITING_FOR_SLOT/);
    expect(acquire.assertions).toEqual([
      expect.objectContaining({ kind: "json-equals", path: "queue_reason", value: "WAITING_FOR_SLOT", attempt: 4, proposed: true }),
    ]);
    expect(acquire.expectation).toEqual({ exit: "success", source: "default" });
    expect(release.comment).toBe("Recover by releasing occupied slots.");
    expect(release.http?.path).toBe("/api/slots/<slot_id>/release");
    expect(release.http?.body?.json).toEqual({ run_id: "<run_id>" });
    expect(release.placeholders).toEqual(["slot_id", "run_id"]);
    const runId = step.placeholders.find((p) => p.name === "run_id");
    expect(runId?.providedBy).toMatchObject({ stepId: stepIn(parsed, "2)").id, variable: "RUN_ID", via: "capture" });
    const slot = step.placeholders.find((p) => p.name === "slot_id");
    expect(slot).toMatchObject({ type: "slot-id", pattern: "^preview-[1-3]$", forms: ["<slot_id>"] });
    expect(new RegExp(slot?.pattern ?? "").test("preview-2")).toBe(true);
    expect(new RegExp(slot?.pattern ?? "").test("preview-2; rm -rf /")).toBe(false);
  });

  it("§4 keeps assignments inside the step and marks the simulated failed deploy", () => {
    const step = stepIn(parsed, "4)");
    expect(step.placeholders.map((p) => p.name)).toEqual(["known_commit"]);
    expect(step.placeholders[0]).toMatchObject({ type: "commit", assignedTo: ["COMMIT_OLD", "COMMIT_NEW"] });
    const assigned = step.commands.flatMap((c) => c.assigns.map((a) => a.variable));
    expect(assigned).toEqual(["DEPLOY_ROOT", "COMMIT_OLD", "COMMIT_NEW"]);
    const deploys = step.commands.filter((c) => c.source.includes("./scripts/deploy.sh"));
    expect(deploys.map((d) => d.expectation.exit)).toEqual(["success", "failure"]);
    expect(deploys[1].env).toMatchObject({ DEPLOY_HEALTHCHECK_CMD: "false", DEPLOY_ROOT: "$DEPLOY_ROOT" });
    expect(deploys[0].source.split("\n")).toHaveLength(2);
  });

  it("§5 rollback to missing-release-id is an expected failure, the valid rollback needs release_id", () => {
    const step = stepIn(parsed, "5)");
    const missing = step.commands.find((c) => c.source.includes("missing-release-id"));
    expect(missing?.expectation).toEqual({ exit: "failure", source: "comment", reason: "Expected failure (missing release target)" });
    const valid = step.commands.find((c) => c.source.includes("<release_id>"));
    expect(valid?.comment).toBe("Valid rollback");
    expect(valid?.expectation.exit).toBe("success");
    expect(step.placeholders.map((p) => [p.name, p.type, p.pattern])).toEqual([["release_id", "release-id", "^[A-Za-z0-9._-]{1,64}$"]]);
  });

  it("§6 snapshot allocate is an expected failure; createdb and recovery are expected to succeed", () => {
    const step = stepIn(parsed, "6)");
    expect(step.commands).toHaveLength(6);
    expect(step.commands.map((c) => c.expectation.exit)).toEqual(["success", "success", "success", "failure", "success", "success"]);
    expect(step.commands[3].source).toContain("--snapshot-version does-not-exist");
    expect(step.commands[3].expectation.reason).toBe("Expected failure: nonexistent snapshot version");
    expect(step.commands.slice(0, 3).every((c) => c.comment === "Ensure preview DBs exist in local host postgres.")).toBe(true);
    expect(step.placeholders.map((p) => p.name).sort()).toEqual(["run_id", "slot_id"]);
  });

  it("§7 mixes a host script with a control-API read piped to json.tool", () => {
    const step = stepIn(parsed, "7)");
    expect(step.commands.map((c) => c.kind)).toEqual(["shell", "http"]);
    expect(step.commands[1].http).toMatchObject({ method: "GET", path: "/api/slots", pipeTo: { kind: "json-format" } });
  });

  it("reads the same steps from a copy saved with CRLF line endings", () => {
    const crlf = parseRunbook(text.replace(/\n/g, "\r\n"));
    const shape = (r: ParsedRunbook) =>
      r.steps.map((s) => [s.id, s.kind, s.commands.map((c) => [c.source, c.kind, c.http?.path, c.expectation.exit, c.startLine, c.placeholders])]);
    expect(shape(crlf)).toEqual(shape(parsed));
  });

  it("lists the runbook's inputs once, with run_id provided by §2's capture", () => {
    expect(parsed.placeholders.map((p) => p.name).sort()).toEqual(["known_commit", "release_id", "run_id", "slot_id"]);
    expect(parsed.placeholders.find((p) => p.name === "run_id")?.providedBy?.variable).toBe("RUN_ID");
  });
});

describe("seed 001: fullstack preview ops", () => {
  const { parsed } = seed("001_");

  it("turns the startup matrix into 10 surfaces with health checks", () => {
    expect(parsed.surfaces).toHaveLength(10);
    const byName = Object.fromEntries(parsed.surfaces.map((s) => [s.name, s]));
    expect(byName["API (control)"]).toMatchObject({ unit: "ouroboros-api.service", port: 8000, envFile: "/etc/oroboros/api.env" });
    expect(byName["API (control)"].healthCheck?.http).toMatchObject({ api: "control", method: "GET", path: "/health", port: 8000 });
    expect(byName["Slot backend preview-2"]).toMatchObject({
      unit: null,
      command: "scripts/preview-backend-runtime.sh start --slot preview-2",
      port: 8102,
    });
    expect(byName.Caddy.healthCheck?.http).toMatchObject({ api: "surface", port: 8088, headers: { Host: "app.example.com" } });
    for (const s of parsed.surfaces) {
      expect(s.healthCheck?.http?.path).toBe("/health");
      expect(s.healthCheck?.http?.port).toBe(s.port);
    }
    const table = parsed.tables[0];
    expect(table.headers).toEqual(["Surface", "Unit / Command", "Port", "Env file", "Health check"]);
    expect(table.rows[3]).toMatchObject({ Surface: "Web preview-1", Port: "3101" });
  });

  it("finds the command-ready blocks and the inline troubleshooting commands", () => {
    const fences = parsed.steps.filter((s) => s.origin === "fence");
    expect(fences.map((s) => [s.title, s.kind, s.commands.length])).toEqual([
      ["Bring-up (Command-ready)", "shell", 6],
      ["Validate slot-local API wiring", "http", 3],
      ["Release rollback", "shell", 3],
      ["Slot runtime rollback (single slot)", "shell", 2],
    ]);
    expect(fences[1].commands.map((c) => [c.http?.api, c.http?.port, c.http?.path])).toEqual([
      ["surface", 3101, "/api/health"],
      ["surface", 3102, "/api/health"],
      ["surface", 3103, "/api/health"],
    ]);
    const inline = parsed.steps.filter((s) => s.origin === "inline");
    expect(inline.map((s) => s.source)).toEqual([
      "curl -fsS http://127.0.0.1:8000/api/slots | python3 -m json.tool",
      "curl -fsS -X POST http://127.0.0.1:8000/api/slots/reap-expired",
      `curl -fsS -X POST http://127.0.0.1:8000/api/slots/<slot_id>/release -H 'Content-Type: application/json' -d '{"run_id":"<run_id>"}'`,
      "./scripts/preview-backend-runtime.sh restart --slot preview-1",
      "tail -n 200 /tmp/oroboros-preview-backend/preview-1.log",
      "./scripts/preview-backend-runtime.sh status --slot preview-1",
      "cat infra/systemd/env/web-preview1.env",
      "curl -fsS http://127.0.0.1:3101/api/health",
      "curl -fsS http://127.0.0.1:8101/health",
      "./scripts/preview-slot-migrate.sh --slot preview-1 --dry-run",
      "./scripts/preview-slot-migrate.sh --slot preview-1",
    ]);
    expect(inline.map((s) => s.kind)).toEqual(["http", "http", "http", "shell", "shell", "shell", "shell", "http", "http", "shell", "shell"]);
    expect(inline[1]).toMatchObject({ title: "Reap expired leases", sectionPath: ["Slot Troubleshooting", "Stuck slot / run waiting forever"] });
    expect(inline[2].placeholders.map((p) => p.name)).toEqual(["slot_id", "run_id"]);
    // Prose code spans are names, not commands.
    const sources = parsed.steps.map((s) => s.source).join("\n");
    expect(sources).not.toContain("PREVIEW_BACKEND_DATABASE_URL_TEMPLATE");
    expect(sources).not.toContain("/etc/oroboros/*.env");
  });

  it("numbered troubleshooting lists become checklists whose command items point at their steps", () => {
    const stuck = parsed.checklists.find((c) => c.title === "Stuck slot / run waiting forever");
    expect(stuck?.items.map((i) => i.manual)).toEqual([false, false, false]);
    expect(stuck?.items[0].stepIds).toEqual([parsed.steps.find((s) => s.title === "Inspect slot occupancy")?.id]);
    const wrong = parsed.checklists.find((c) => c.title.startsWith("Wrong backend target"));
    expect(wrong?.items.map((i) => i.manual)).toEqual([false, true, false, false]);
  });
});

describe("seed 002: incident response for the job runtime", () => {
  const { parsed } = seed("002_");

  it("triage curls are runtime-API http steps", () => {
    expect(parsed.steps).toHaveLength(2);
    const calls = parsed.steps.flatMap((s) => s.commands.map((c) => c.http));
    expect(parsed.steps.every((s) => s.kind === "http")).toBe(true);
    expect(calls.map((c) => [c?.api, c?.method, c?.path, c?.port])).toEqual([
      ["runtime", "GET", "/healthz", 8080],
      ["runtime", "GET", "/metrics", 8080],
      ["runtime", "GET", "/v1/jobs?limit=20", 8080],
      ["runtime", "GET", "/v1/audit/logs?limit=20", 8080],
      ["runtime", "GET", "/v1/dlq", 8080],
    ]);
    expect(parsed.steps[1].title).toBe("If operator auth is enabled, also collect");
    expect(parsed.placeholders).toEqual([]);
  });

  it("its three runbook links are pending", () => {
    expect(parsed.links.map((l) => [l.targetSlug, l.pending, l.kind])).toEqual([
      ["production-operations-guide", true, "runbook"],
      ["runtime-schema-migrations", true, "runbook"],
      ["postgres-backup-restore-runbook", true, "runbook"],
    ]);
  });

  it("has the first-five-minutes, recovery-validation and post-incident checklists with manual items", () => {
    const byTitle = Object.fromEntries(parsed.checklists.map((c) => [c.title, c]));
    const first = byTitle["1. First Five Minutes"];
    expect(first.leadIn).toBe("When an alert fires:");
    expect(first.items.map((i) => i.text)).toEqual([
      "Identify the affected surface:",
      "Capture the current blast radius:",
      "Freeze risky operator actions:",
      "Preserve evidence:",
    ]);
    expect(first.items[0].children.map((c) => c.text)).toEqual(["execution API", "worker loop", "persistence", "operator control plane"]);
    const recovery = byTitle["6. Recovery Validation"];
    expect(recovery.items[0]).toMatchObject({ text: "Confirm API success rate recovered.", manual: true, checked: null });
    expect(recovery.items[4].children.map((c) => c.text)).toEqual(["run", "inspect", "worker poll", "worker ack"]);
    expect(byTitle["7. Post-Incident Checklist"].items).toHaveLength(5);
    expect(parsed.checklists.every((c) => c.items.every((i) => i.manual))).toBe(true);
  });
});

describe("seed 003: runbook index and template", () => {
  const { text, parsed } = seed("003_");

  it("yields 19 pending runbook links in 6 categories, all unchecked task items", () => {
    const runbooks = parsed.links.filter((l) => l.kind === "runbook");
    expect(runbooks).toHaveLength(19);
    expect(runbooks.every((l) => l.pending && l.checked === false && l.href.endsWith(".md"))).toBe(true);
    const categories = [...new Set(runbooks.map((l) => l.category))];
    expect(categories).toEqual([
      "Critical Incident Response",
      "Authentication & Authorization",
      "Execution & Performance",
      "Data & Storage",
      "Partner Integrations",
      "Monitoring & Alerting",
    ]);
    expect(runbooks[0]).toMatchObject({
      href: "incident_response.md",
      targetSlug: "incident-response",
      description: "General incident response protocol (SEV1/SEV2/SEV3)",
    });
    // Links to documents outside the runbook folder are not runbooks.
    expect(parsed.links.filter((l) => l.kind === "document").map((l) => l.pending)).toEqual([false, false, false]);
  });

  it("keeps the template whole, makes no steps from it, and does not warn", () => {
    expect(parsed.steps).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.templates).toHaveLength(1);
    const template = parsed.templates[0];
    expect(template.sectionId).toBe("runbook-template");
    expect(template.metadataKeys).toEqual(["Scenario", "Severity", "Owner", "Last Updated", "Last Validated"]);
    expect(template.metadata).toMatchObject({ severity: "[SEV1 | SEV2 | SEV3 | Maintenance]", lastValidated: "YYYY-MM-DD" });
    expect(template.sectionTitles).toEqual(expect.arrayContaining(["Symptoms", "Immediate Actions", "Diagnosis", "Verification", "Post-Incident", "Contacts", "Validation Log"]));
    // Every line of the template is kept, nested fences included.
    const lines = text.split("\n");
    expect(template.content).toBe(lines.slice(template.startLine, template.endLine - 1).join("\n"));
    expect(template.content).toContain("mise run health-check");
    expect(template.content.endsWith("| YYYY-MM-DD | Name | Staging | ✅ Pass | [Notes] |")).toBe(true);
    // The template's example Validation Log is not this runbook's log.
    expect(parsed.validationLog).toEqual([]);
  });

  it("reads the header metadata and the sections after the template", () => {
    expect(parsed.metadata.other).toEqual({
      purpose: "Incident response procedures, troubleshooting guides, and operational playbooks",
      status: "Structure defined, runbooks pending creation",
    });
    expect(parsed.sections.map((s) => s.title)).toEqual(["Runbook Index", "Runbook Template", "Runbook Maintenance", "Getting Started"]);
    expect(parsed.sections[0].children).toHaveLength(6);
    // The index task list is links, not a checklist; the numbered lists after the template are.
    expect(parsed.checklists.map((c) => c.leadIn)).toEqual(["Priority Runbooks to Create First:", "Creation Process:"]);
  });

  it("parses a runbook written from the template: metadata, a triage step, verification checklist, validation log", () => {
    const template = parsed.templates[0].content;
    const filled = parseRunbook(template, { fileName: "token-rotation.md" });
    expect(filled.slug).toBe("token-rotation");
    expect(filled.metadata).toMatchObject({ owner: "[Team responsible for this procedure]", lastUpdated: "YYYY-MM-DD" });
    expect(filled.steps.map((s) => s.title)).toContain("**Triage** — [Quick diagnostic steps]".replace(/\*\*/g, ""));
    expect(filled.checklists.find((c) => c.title === "Verification")?.items.map((i) => i.checked)).toEqual([false, false, false, false]);
    expect(filled.validationLog).toEqual([
      expect.objectContaining({ date: "YYYY-MM-DD", validator: "Name", environment: "Staging", result: "✅ Pass", outcome: "pass" }),
    ]);
    expect(filled.warnings.some((w) => w.includes("only comments"))).toBe(true);
  });
});
