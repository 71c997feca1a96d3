import sh from "mvdan-sh";
import { z } from "zod";
import { checkArguments, checkBlocklist, checkEnvPrefixes, checkRemoval, isInside, resolveProgram, type Allowlist, type DeclaredRemoval } from "./allowlist";

// Turns a script plan into fully expanded, checked commands before anything runs.
// Shell text is parsed with mvdan/sh; the agent interprets only a small safe subset itself
// and never hands text to a shell. Every word becomes exactly one argv element (no field
// splitting, no globbing), so an input value can never turn into extra arguments or syntax.

const { syntax } = sh;

export const execPlanSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/, "id must be 8-64 letters, digits or dashes")
    .optional(),
  commands: z
    .array(
      z.object({
        text: z.string().min(1).max(20_000),
        expect: z.enum(["success", "failure", "any"]).default("success"),
      }),
    )
    .min(1)
    .max(50),
  inputs: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "input names are shell variable names"),
      z.union([z.string().max(1000), z.object({ value: z.string().max(1000), placeholder: z.string().min(1) })]),
    )
    .default({}),
  timeoutMs: z.number().int().positive().optional(),
  /** What this plan removes (a drill's declared cleanup); removal programs run only for these. */
  removes: z
    .array(z.object({ kind: z.string().min(1).max(40), name: z.string().min(1).max(200) }))
    .max(50)
    .default([]),
});
export type ExecPlan = z.input<typeof execPlanSchema>;
export type Expectation = "success" | "failure" | "any";

export type Stage = {
  /** The program as written in the command text. */
  program: string;
  /** The file that is spawned. */
  file: string;
  argv: string[];
  /** `VAR=value` prefixes, added to the child's environment. */
  env: Record<string, string>;
  stdoutTo: { path: string; append: boolean } | null;
};
export type PreparedCommand = { index: number; text: string; expect: Expectation; pipelines: Stage[][] };

export type PlanErrorCode = "INVALID_PLAN" | "PARSE_ERROR" | "UNSUPPORTED_SYNTAX" | "UNDEFINED_VARIABLE" | "INVALID_INPUT" | "NOT_ALLOWED" | "BLOCKED";

export class PlanError extends Error {
  constructor(
    readonly code: PlanErrorCode,
    message: string,
    readonly command?: number,
  ) {
    super(message);
    this.name = "PlanError";
  }
}

const OP_PIPE = 12;
const OP_PIPE_ALL = 13;
const OP_AND = 10;
const OP_OR = 11;
const OP_REDIRECT_OUT = 54;
const OP_APPEND_OUT = 55;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates inputs, then parses, expands and checks every command. Throws PlanError. */
export function preparePlan(list: Allowlist, raw: unknown): { id?: string; timeoutMs: number; commands: PreparedCommand[] } {
  const parsed = execPlanSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PlanError("INVALID_PLAN", parsed.error.issues.map((i) => `${i.path.join(".") || "plan"}: ${i.message}`).join("; "));
  }
  const plan = parsed.data;
  const vars = new Map<string, string>();
  for (const [name, input] of Object.entries(plan.inputs)) {
    const { value, placeholder } = typeof input === "string" ? { value: input, placeholder: name } : input;
    const pattern = list.placeholders.get(placeholder);
    if (!pattern) throw new PlanError("INVALID_INPUT", `input "${name}": this host has no placeholder type "${placeholder}"`);
    if (!pattern.test(value)) {
      throw new PlanError("INVALID_INPUT", `input "${name}" (${placeholder}) has a value that does not match ${pattern.source}: ${JSON.stringify(value)}`);
    }
    vars.set(name, value);
  }
  const commands = plan.commands.map((command, index) => {
    try {
      return { index, text: command.text, expect: command.expect, pipelines: prepareCommand(list, command.text, vars, plan.removes) };
    } catch (error) {
      if (error instanceof PlanError) throw new PlanError(error.code, `command ${index + 1}: ${error.message}`, index);
      throw error;
    }
  });
  const timeoutMs = Math.min(plan.timeoutMs ?? list.timeoutMs, list.timeoutMs);
  return { id: plan.id, timeoutMs, commands };
}

function parse(text: string) {
  try {
    return syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash)).Parse(text, "command");
  } catch (error) {
    const e = error as { Error?: () => string; message?: string };
    throw new PlanError("PARSE_ERROR", `cannot parse shell text: ${e.Error?.() ?? e.message ?? String(error)}`);
  }
}

function prepareCommand(list: Allowlist, text: string, vars: Map<string, string>, removes: DeclaredRemoval[]): Stage[][] {
  const file = parse(text);
  const pipelines: Stage[][] = [];
  for (const stmt of file.Stmts) {
    checkStmtFlags(stmt);
    const cmd = stmt.Cmd;
    const type = cmd ? syntax.NodeType(cmd) : "empty";
    if (type === "CallExpr" && cmd.Args.length === 0) {
      if (stmt.Redirs.length > 0) throw new PlanError("UNSUPPORTED_SYNTAX", "a redirect without a command is not supported");
      for (const assign of cmd.Assigns) {
        const [name, value] = expandAssign(assign, vars);
        vars.set(name, value);
      }
      continue;
    }
    if (type === "CallExpr") {
      pipelines.push([prepareStage(list, stmt, vars, true, removes)]);
      continue;
    }
    if (type === "BinaryCmd" && cmd.Op === OP_PIPE) {
      const stmts = flattenPipe(stmt);
      pipelines.push(stmts.map((s, i) => prepareStage(list, s, vars, i === stmts.length - 1, removes)));
      continue;
    }
    throw new PlanError("UNSUPPORTED_SYNTAX", describeUnsupported(type, cmd));
  }
  if (pipelines.length === 0) throw new PlanError("INVALID_PLAN", "the command text contains no command to run");
  return pipelines;
}

function describeUnsupported(type: string, cmd: { Op?: number }): string {
  if (type === "BinaryCmd") {
    if (cmd.Op === OP_AND || cmd.Op === OP_OR) return "&& and || are not supported; split the text into commands with their own expectation";
    if (cmd.Op === OP_PIPE_ALL) return "|& is not supported";
  }
  const names: Record<string, string> = {
    Subshell: "subshells ( … )",
    Block: "blocks { … }",
    IfClause: "if statements",
    WhileClause: "loops",
    ForClause: "loops",
    CaseClause: "case statements",
    FuncDecl: "function definitions",
    DeclClause: "declare/export/local/readonly",
    LetClause: "let",
    TestClause: "[[ … ]] tests",
    ArithmCmd: "arithmetic commands",
    TimeClause: "time",
    CoprocClause: "coprocesses",
    empty: "statements without a command",
  };
  return `${names[type] ?? type} are not supported by the agent`;
}

function checkStmtFlags(stmt: { Negated: boolean; Background: boolean; Coprocess: boolean }) {
  if (stmt.Negated) throw new PlanError("UNSUPPORTED_SYNTAX", "negation with ! is not supported");
  if (stmt.Background || stmt.Coprocess) throw new PlanError("UNSUPPORTED_SYNTAX", "background jobs (&) are not supported");
}

function flattenPipe(stmt: any): any[] {
  const cmd = stmt.Cmd;
  if (cmd && syntax.NodeType(cmd) === "BinaryCmd" && cmd.Op === OP_PIPE) {
    if (stmt.Redirs.length > 0) throw new PlanError("UNSUPPORTED_SYNTAX", "redirects on a whole pipeline are not supported");
    return [...flattenPipe(cmd.X), ...flattenPipe(cmd.Y)];
  }
  if (cmd && syntax.NodeType(cmd) === "BinaryCmd") throw new PlanError("UNSUPPORTED_SYNTAX", describeUnsupported("BinaryCmd", cmd));
  return [stmt];
}

function prepareStage(list: Allowlist, stmt: any, vars: Map<string, string>, last: boolean, removes: DeclaredRemoval[]): Stage {
  checkStmtFlags(stmt);
  const cmd = stmt.Cmd;
  const type = cmd ? syntax.NodeType(cmd) : "empty";
  if (type !== "CallExpr") throw new PlanError("UNSUPPORTED_SYNTAX", describeUnsupported(type, cmd));
  if (cmd.Args.length === 0) throw new PlanError("UNSUPPORTED_SYNTAX", "a variable assignment inside a pipeline is not supported");

  const env: Record<string, string> = {};
  for (const assign of cmd.Assigns) {
    const [name, value] = expandAssign(assign, vars);
    env[name] = value;
  }
  const words: string[] = cmd.Args.map((w: unknown) => expandWord(w, vars));
  const [program, ...args] = words;

  let stdoutTo: Stage["stdoutTo"] = null;
  for (const redirect of stmt.Redirs) {
    if (redirect.Op !== OP_REDIRECT_OUT && redirect.Op !== OP_APPEND_OUT) {
      throw new PlanError("UNSUPPORTED_SYNTAX", "only > and >> redirects of standard output are supported");
    }
    if (redirect.N && redirect.N.Value !== "1") throw new PlanError("UNSUPPORTED_SYNTAX", "only standard output may be redirected");
    if (!last) throw new PlanError("UNSUPPORTED_SYNTAX", "only the last command of a pipeline may redirect its output");
    const target = expandWord(redirect.Word, vars);
    if (!isInside(target, list.writableDirs, list.cwd)) {
      throw new PlanError("NOT_ALLOWED", `redirect target ${target} is outside the writable directories (${list.writableDirs.join(", ") || "none"})`);
    }
    stdoutTo = { path: target, append: redirect.Op === OP_APPEND_OUT };
  }
  const blocked = checkBlocklist(list, program, null, args, Object.values(env));
  if (blocked) throw new PlanError("BLOCKED", `${program}: ${blocked}`);
  const resolved = resolveProgram(list, program);
  if ("error" in resolved) throw new PlanError("NOT_ALLOWED", resolved.error);
  const blockedFile = checkBlocklist(list, program, resolved.file, args, Object.values(env));
  if (blockedFile) throw new PlanError("BLOCKED", `${program}: ${blockedFile}`);
  const argProblem = checkArguments(list, resolved.rule, args) ?? checkRemoval(resolved.rule, args, removes);
  if (argProblem) throw new PlanError("NOT_ALLOWED", argProblem);
  const envProblem = checkEnvPrefixes(list, env);
  if (envProblem) throw new PlanError("NOT_ALLOWED", `${program}: ${envProblem}`);

  return { program, file: resolved.file, argv: args, env, stdoutTo };
}

function expandAssign(assign: any, vars: Map<string, string>): [string, string] {
  const name: string = assign.Name.Value;
  if (assign.Append || assign.Naked || assign.Array || assign.Index) {
    throw new PlanError("UNSUPPORTED_SYNTAX", `only plain NAME=value assignments are supported (at ${name})`);
  }
  return [name, assign.Value ? expandWord(assign.Value, vars) : ""];
}

const GLOB = /[*[\]{}]/;

function expandWord(word: any, vars: Map<string, string>): string {
  let out = "";
  const parts = word.Parts as unknown[];
  const raw = parts.map((p: any) => (syntax.NodeType(p) === "Lit" ? p.Value : "")).join("");
  for (const part of parts as any[]) {
    const type = syntax.NodeType(part);
    if (type === "Lit") {
      const value: string = part.Value;
      // These would expand in a real shell; refusing them keeps "what you read is what runs".
      if (GLOB.test(value)) throw new PlanError("UNSUPPORTED_SYNTAX", `unquoted glob or brace characters in ${JSON.stringify(value)}; quote them`);
      if (value.includes("?") && !raw.includes("://")) throw new PlanError("UNSUPPORTED_SYNTAX", `unquoted ? in ${JSON.stringify(value)}; quote it`);
      if (out === "" && value.startsWith("~")) throw new PlanError("UNSUPPORTED_SYNTAX", `tilde expansion in ${JSON.stringify(value)} is not supported`);
      out += value.replace(/\\\n/g, "").replace(/\\(.)/gs, "$1");
    } else if (type === "SglQuoted") {
      if (part.Dollar) throw new PlanError("UNSUPPORTED_SYNTAX", "$'…' quoting is not supported");
      out += part.Value;
    } else if (type === "DblQuoted") {
      if (part.Dollar) throw new PlanError("UNSUPPORTED_SYNTAX", '$"…" quoting is not supported');
      for (const inner of part.Parts as any[]) {
        const innerType = syntax.NodeType(inner);
        if (innerType === "Lit") out += (inner.Value as string).replace(/\\\n/g, "").replace(/\\([$`"\\])/g, "$1");
        else if (innerType === "ParamExp") out += expandParam(inner, vars);
        else throw new PlanError("UNSUPPORTED_SYNTAX", describePart(innerType));
      }
    } else if (type === "ParamExp") {
      out += expandParam(part, vars);
    } else {
      throw new PlanError("UNSUPPORTED_SYNTAX", describePart(type));
    }
  }
  return out;
}

function describePart(type: string): string {
  const names: Record<string, string> = {
    CmdSubst: "command substitution $(…) or `…`",
    ArithmExp: "arithmetic expansion $((…))",
    ProcSubst: "process substitution <(…)",
    ExtGlob: "extended globs",
    BraceExp: "brace expansion",
  };
  return `${names[type] ?? type} is not allowed`;
}

function expandParam(pe: any, vars: Map<string, string>): string {
  const name: string = pe.Param.Value;
  if (pe.Excl || pe.Length || pe.Width || pe.Index || pe.Slice || pe.Repl || pe.Exp || pe.Names) {
    throw new PlanError("UNSUPPORTED_SYNTAX", `only plain $NAME or \${NAME} expansions are supported (at ${name})`);
  }
  if (!NAME.test(name)) throw new PlanError("UNSUPPORTED_SYNTAX", `special parameter $${name} is not supported`);
  const value = vars.get(name);
  if (value === undefined) throw new PlanError("UNDEFINED_VARIABLE", `variable ${name} is not set (define it in the plan or pass it as an input)`);
  return value;
}
