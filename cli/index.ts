import { Command } from "commander";
import { register as registerDb } from "./commands/db";
import { register as registerUsers } from "./commands/users";
import { register as registerAudit } from "./commands/audit";
import { register as registerRunbooks } from "./commands/runbooks";
import { register as registerRefenv } from "./commands/refenv";
import { register as registerAgent } from "./commands/agent";
import { register as registerEnv } from "./commands/env";
import { register as registerDrill } from "./commands/drill";
import { register as registerIncidents } from "./commands/incidents";

// Each area registers its commands here, one line each.
export function buildProgram(): Command {
  const program = new Command("sitrep").description("Sitrep incident command console").version("0.1.0");
  registerDb(program);
  registerUsers(program);
  registerAudit(program);
  registerRunbooks(program);
  registerRefenv(program);
  registerAgent(program);
  registerEnv(program);
  registerDrill(program);
  registerIncidents(program);
  return program;
}
