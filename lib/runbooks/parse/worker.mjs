// Entry of the runbook parse worker (node:worker_threads). A plain module, loaded by path at run
// time, so neither Next's bundler nor Vitest has to know about it; it compiles the TypeScript
// parser with tsx (a dependency) against the project's tsconfig, found beside this file.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
register({ tsconfig: path.join(root, "tsconfig.json") });
await import("./worker-main.ts");
