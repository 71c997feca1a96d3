import type { Command } from "commander";
import { systemActor } from "@/lib/actor";
import { getIncidentDetail, listIncidents } from "@/lib/incidents";
import { output, withDatabase } from "../context";

export function register(program: Command) {
  const incidents = program.command("incidents").description("incidents: list and inspect");
  incidents
    .command("list")
    .description("incidents, open first by severity then age")
    .option("--status <status>", "open | triage | investigating | identified | mitigating | monitoring | resolved | closed")
    .option("--severity <sev>", "SEV1 | SEV2 | SEV3")
    .option("--surface <name>", "affected surface")
    .option("--search <text>", "title or INC number")
    .option("--json", "machine-readable output")
    .action(async (opts: { status?: string; severity?: string; surface?: string; search?: string; json?: boolean }) => {
      const { incidents: rows } = await withDatabase(({ db }) =>
        listIncidents({ actor: systemActor(), db }, { status: opts.status, severity: opts.severity, surface: opts.surface, q: opts.search }),
      );
      const text = rows
        .map((i) => `${i.ref.padEnd(8)} ${i.severity} ${i.status.padEnd(13)} ${i.title}${i.commanderName ? `  (commander: ${i.commanderName})` : ""}`)
        .join("\n");
      output(!!opts.json, rows, text || "No incidents.");
    });
  incidents
    .command("show <ref>")
    .description("one incident with roles, checklists and timeline (INC-n or id)")
    .option("--json", "machine-readable output")
    .action(async (ref: string, opts: { json?: boolean }) => {
      const detail = await withDatabase(({ db }) => getIncidentDetail({ actor: systemActor(), db }, ref));
      const i = detail.incident;
      const text = [
        `${i.ref} ${i.severity} ${i.status}: ${i.title}`,
        `commander: ${detail.commanderName ?? "—"}`,
        ...detail.timeline.map((e) => `${e.occurredAt}  ${e.kind.padEnd(22)} ${e.actorName ?? "Sitrep"}: ${e.body.split("\n")[0]}`),
      ].join("\n");
      output(!!opts.json, detail, text);
    });
}
