import { drillPlanSchema, type DrillPlan } from "./plan";

// Drill plans Sitrep ships for the seed runbooks it was built around, keyed by runbook slug.
// They are stored with the runbook on its first drill (origin "built-in") and can be replaced.

const POSTGRES_TOOLS = {
  program: "createdb",
  message:
    "This step needs the PostgreSQL client tools (createdb) on the host and a PostgreSQL server at 127.0.0.1:5432 that accepts the postgres user. Install them on the host or point the environment at a host that has them; a validator may skip the step with a reason instead.",
  signs: ["could not connect to server", "connection refused", "connection to server at"],
};

// The preview databases seed 000 §6 creates on the host's PostgreSQL (createdb app_preview_N).
const PREVIEW_DATABASES = [1, 2, 3].map((n) => ({
  kind: "postgres-database",
  name: `app_preview_${n}`,
  description: `Preview database ${n}, created by the preview reset step`,
  createdBy: "6-failed-preview-reset-migration-drill-and-recovery-1",
  exists: { text: "psql -X -l -t -A -h 127.0.0.1 -U postgres", present: `^app_preview_${n}\\|` },
  remove: `dropdb --if-exists -h 127.0.0.1 -U postgres app_preview_${n}`,
}));

const operatorRunbook = drillPlanSchema.parse({
  summary:
    "Runs every section against the environment. Four runs are created for the slot-exhaustion step (the first three take the three slots first, so the step's acquire is the fourth attempt), and one run for the preview-reset step. Every slot a drill run still holds is released when its step ends, and the preview databases the reset step creates are dropped again (they are declared resources: a drill first checks that none is left from an earlier one). The failed-deploy step writes two fresh releases per drill into the drill deploy root, which the agent never deletes.",
  resources: PREVIEW_DATABASES,
  inputs: {
    commit_old: { description: "Release id of the known-good release (fresh per drill)", pattern: "^[A-Za-z0-9._-]{1,64}$", generate: "drill-old" },
    commit_new: { description: "Release id of the release whose deploy fails (fresh per drill)", pattern: "^[A-Za-z0-9._-]{1,64}$", generate: "drill-new" },
  },
  steps: {
    "3-slot-exhaustion-and-recovery-1": {
      note: "Runs 1–3 hold every slot before the step; the step acquires for run 4 and must be told to wait, then releases the slot of run 1.",
      setup: [
        { kind: "create-runs", count: 4, prefix: "exhaustion_run", title: "slot exhaustion drill" },
        { kind: "acquire-slots", runs: ["exhaustion_run_1", "exhaustion_run_2", "exhaustion_run_3"], as: ["exhaustion_slot_1", "exhaustion_slot_2", "exhaustion_slot_3"] },
      ],
      parts: [
        { commands: [1], bind: { run_id: "${exhaustion_run_4}" }, attempt: 4, note: "Fourth acquire while three slots are held." },
        { commands: [2], bind: { slot_id: "${exhaustion_slot_1}", run_id: "${exhaustion_run_1}" }, note: "Release the slot run 1 holds." },
      ],
      cleanup: [{ kind: "release-slots" }],
    },
    "4-failed-deploy-drill-isolated-host-deploy-root-1": {
      note: "The old and the new commit are two fresh release ids; the second deploy's health check fails and the previous release must come back.",
      literal: { "2": { known_commit: "${commit_old}" }, "3": { known_commit: "${commit_new}" } },
    },
    "5-rollback-command-validation-1": {
      note: "The valid rollback targets the release the failed deploy left behind.",
      bind: { release_id: "${commit_new}" },
    },
    "6-failed-preview-reset-migration-drill-and-recovery-1": {
      note: "A drill run takes a slot through the allocate script; its slot id feeds the reset. The preview databases the step creates are declared resources: looked for before the drill starts, dropped again afterwards.",
      setup: [{ kind: "create-runs", count: 1, prefix: "preview_run", title: "preview reset drill" }],
      parts: [
        { commands: [1, 2, 3], requires: [POSTGRES_TOOLS] },
        { commands: [4], bind: { run_id: "${preview_run_1}" } },
        { commands: [5], bind: { run_id: "${preview_run_1}" }, capture: [{ variable: "preview_slot", pattern: "slot_id=(preview-[1-3])" }] },
        { commands: [6], bind: { run_id: "${preview_run_1}", slot_id: "${preview_slot}" } },
      ],
      cleanup: [{ kind: "release-slots" }, { kind: "remove", resources: PREVIEW_DATABASES.map((d) => d.name) }],
    },
    "notes-1": {
      skip: "Fallback only for a checkout where scripts/preview-smoke-e2e.sh fails; it needs the backend's Python virtualenv, which a drill host does not have.",
    },
  },
});

const previewOpsRunbook = drillPlanSchema.parse({
  summary:
    "Runs the command-ready sections: bring-up, slot-local wiring, the stuck-slot procedure (a drill run holds a slot so the explicit release has something to release), backend restart, migration dry run and both rollbacks. Two fresh releases are deployed first so the release rollback has somewhere to go back to.",
  inputs: {
    drill_release: { description: "Release id the rollback returns to (fresh per drill)", pattern: "^[A-Za-z0-9._-]{1,64}$", generate: "drill-rel" },
    drill_release_next: { description: "Release id deployed after it (fresh per drill)", pattern: "^[A-Za-z0-9._-]{1,64}$", generate: "drill-rel-next" },
  },
  steps: {
    "stuck-slot-run-waiting-forever-3": {
      setup: [
        { kind: "create-runs", count: 1, prefix: "stuck_run", title: "stuck slot drill" },
        { kind: "acquire-slots", runs: ["stuck_run_1"], as: ["stuck_slot"] },
      ],
      bind: { slot_id: "${stuck_slot}", run_id: "${stuck_run_1}" },
      cleanup: [{ kind: "release-slots" }],
    },
    "rollback-notes-1": {
      note: "Two fresh releases are deployed first (health check and restarts skipped); the rollback goes back to the first.",
      setup: [
        { kind: "agent", text: 'DEPLOY_SKIP_SERVICE_RESTART=1 DEPLOY_SKIP_HEALTHCHECK=1 ./scripts/deploy.sh "${release_id}"', inputs: { release_id: "${drill_release}" } },
        { kind: "agent", text: 'DEPLOY_SKIP_SERVICE_RESTART=1 DEPLOY_SKIP_HEALTHCHECK=1 ./scripts/deploy.sh "${release_id}"', inputs: { release_id: "${drill_release_next}" } },
      ],
      bind: { release_id: "${drill_release}" },
    },
  },
});

export const BUILTIN_PLANS: Record<string, DrillPlan> = {
  "operator-incident-and-rollback-runbook-host-only": operatorRunbook,
  "fullstack-preview-ops-runbook-myo-64": previewOpsRunbook,
};
