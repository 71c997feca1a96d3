import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// The host's allowlist file: which programs may run, with which arguments, in which
// environment. Loaded once at agent start; a broken file stops the agent with a clear message.

const argRule = z.union([
  z.object({ pattern: z.string() }).strict(),
  z.object({ path: z.enum(["writable", "readable"]) }).strict(),
]);
export type ArgRule = z.infer<typeof argRule>;

const programSchema = z
  .object({
    /** As written in commands: a path (`./scripts/deploy.sh`) or a bare name looked up on `path`. */
    name: z.string().min(1),
    description: z.string().optional(),
    /** Flag name → null for a switch, or the rule for its value (`-n 200`, `--slot=preview-1`). */
    flags: z.record(z.string(), argRule.nullable()).default({}),
    /** Rules for positional arguments by position. */
    positional: z.array(argRule).default([]),
    /** Rule for positional arguments beyond `positional`; without it extra arguments are refused. */
    rest: argRule.optional(),
    minPositional: z.number().int().min(0).default(0),
    maxPositional: z.number().int().min(0).optional(),
    /**
     * A removal (e.g. `dropdb`): runs only for what the plan declares it removes — a resource of
     * this kind whose name is the command's one positional argument (see checkRemoval).
     */
    removes: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/).optional(),
  })
  .strict();

const schema = z
  .object({
    version: z.literal(1),
    description: z.string().optional(),
    /** Working directory of every command, relative to the allowlist file. */
    workingDirectory: z.string().default("."),
    timeoutMs: z.number().int().positive().max(3_600_000).default(120_000),
    maxOutputBytes: z.number().int().positive().default(1_048_576),
    /** PATH used to find bare program names, also passed to children. */
    path: z.string().default("/usr/local/bin:/usr/bin:/bin"),
    /** Fixed environment for children (PATH is added from `path`). */
    env: z.record(z.string(), z.string()).default({}),
    /** Names copied from the agent's own environment or options into children's environment. */
    inheritEnv: z.array(z.string()).default([]),
    /** Variables allowed as `VAR=value cmd` prefixes: name → rule for the value. */
    envPrefixes: z.record(z.string(), argRule).default({}),
    /** Directories `>`/`>>` redirects and {"path":"writable"} arguments may point into. `$VAR` refers to the child env. */
    writableDirs: z.array(z.string()).default([]),
    /** Directories {"path":"readable"} arguments may point into (writable ones are readable too). */
    readableDirs: z.array(z.string()).default([]),
    /** Placeholder name → regex its input values must match. */
    placeholders: z.record(z.string(), z.string()).default({}),
    programs: z.array(programSchema),
    /** Checked before the allowlist and wins over it. */
    blocklist: z
      .array(
        z
          .object({ program: z.string().optional(), argPattern: z.string().optional(), reason: z.string() })
          .strict()
          .refine((r) => r.program !== undefined || r.argPattern !== undefined, "a blocklist rule needs program or argPattern"),
      )
      .default([]),
  })
  .strict();

export type AllowlistFile = z.infer<typeof schema>;
export type ProgramRule = z.infer<typeof programSchema> & { regexes: Map<ArgRule, RegExp> };

export type Allowlist = {
  file: string;
  cwd: string;
  timeoutMs: number;
  maxOutputBytes: number;
  searchPath: string[];
  childEnv: Record<string, string>;
  envPrefixes: Map<string, ArgRule>;
  /** Compiled patterns of envPrefixes rules. */
  envRegexes: Map<ArgRule, RegExp>;
  writableDirs: string[];
  readableDirs: string[];
  placeholders: Map<string, RegExp>;
  programs: ProgramRule[];
  blocklist: { program?: string; argPattern?: RegExp; reason: string }[];
};

function compile(source: string, where: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new Error(`allowlist: invalid regular expression at ${where}: ${(error as Error).message}`);
  }
}

/** Expands `$NAME` / `${NAME}` in a directory entry from the child environment. */
function expandDir(entry: string, env: Record<string, string>, base: string): string {
  const expanded = entry.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`allowlist: directory "${entry}" refers to ${name}, which is not in the child environment`);
    return value;
  });
  return path.resolve(base, expanded);
}

/**
 * Loads and compiles an allowlist file. `inherited` supplies values for `inheritEnv` names
 * (the agent's own environment, or options when started in-process).
 */
export function loadAllowlist(file: string, inherited: Record<string, string | undefined>): Allowlist {
  const absolute = path.resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(absolute, "utf8"));
  } catch (error) {
    throw new Error(`allowlist: cannot read ${absolute}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`allowlist: ${absolute} is invalid: ${issues}`);
  }
  const data = parsed.data;
  const cwd = path.resolve(path.dirname(absolute), data.workingDirectory);
  const childEnv: Record<string, string> = { ...data.env, PATH: data.path };
  for (const name of data.inheritEnv) {
    const value = inherited[name];
    if (value !== undefined) childEnv[name] = value;
  }
  const programs = data.programs.map((p, i) => {
    const regexes = new Map<ArgRule, RegExp>();
    const rules = [...Object.values(p.flags), ...p.positional, p.rest];
    for (const rule of rules) if (rule && "pattern" in rule) regexes.set(rule, compile(rule.pattern, `programs[${i}] (${p.name})`));
    return { ...p, regexes };
  });
  return {
    file: absolute,
    cwd,
    timeoutMs: data.timeoutMs,
    maxOutputBytes: data.maxOutputBytes,
    searchPath: data.path.split(":").filter(Boolean),
    childEnv,
    envPrefixes: new Map(Object.entries(data.envPrefixes)),
    envRegexes: new Map(
      Object.entries(data.envPrefixes).flatMap(([k, v]) => ("pattern" in v ? [[v, compile(v.pattern, `envPrefixes.${k}`)] as const] : [])),
    ),
    writableDirs: data.writableDirs.map((d) => expandDir(d, childEnv, cwd)),
    readableDirs: data.readableDirs.map((d) => expandDir(d, childEnv, cwd)),
    placeholders: new Map(Object.entries(data.placeholders).map(([k, v]) => [k, compile(v, `placeholders.${k}`)])),
    programs,
    blocklist: data.blocklist.map((b, i) => ({
      program: b.program,
      argPattern: b.argPattern === undefined ? undefined : compile(b.argPattern, `blocklist[${i}]`),
      reason: b.reason,
    })),
  };
}

/** Resolves `p` like the kernel would follow it, through symlinks of the part that exists. */
function realish(p: string): string {
  let current = p;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(current), ...tail.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return p;
      tail.push(path.basename(current));
      current = parent;
    }
  }
}

export function isInside(candidate: string, dirs: string[], cwd: string): boolean {
  const resolved = realish(path.resolve(cwd, candidate));
  return dirs.some((dir) => {
    const root = realish(dir);
    return resolved === root || resolved.startsWith(root + path.sep);
  });
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Finds the allowlist entry for a program as written, and the file to spawn. */
export function resolveProgram(list: Allowlist, written: string): { rule: ProgramRule; file: string } | { error: string } {
  if (written.includes("/")) {
    const target = path.resolve(list.cwd, written);
    const rule = list.programs.find((p) => p.name.includes("/") && path.resolve(list.cwd, p.name) === target);
    if (!rule) return { error: `program "${written}" is not on this host's allowlist` };
    if (!isExecutable(target)) return { error: `program "${written}" is allowlisted but ${target} is missing or not executable` };
    return { rule, file: target };
  }
  const rule = list.programs.find((p) => p.name === written);
  if (!rule) return { error: `program "${written}" is not on this host's allowlist` };
  for (const dir of list.searchPath) {
    const file = path.join(dir, written);
    if (isExecutable(file)) return { rule, file };
  }
  return { error: `program "${written}" is allowlisted but not found on PATH ${list.searchPath.join(":")}` };
}

function checkRule(list: Allowlist, regexes: Map<ArgRule, RegExp>, argRule: ArgRule, value: string, label: string): string | null {
  if ("pattern" in argRule) {
    return regexes.get(argRule)!.test(value) ? null : `${label} "${value}" does not match ${argRule.pattern}`;
  }
  const dirs = argRule.path === "writable" ? list.writableDirs : [...list.writableDirs, ...list.readableDirs];
  return isInside(value, dirs, list.cwd) ? null : `${label} "${value}" is outside the ${argRule.path} directories (${dirs.join(", ")})`;
}

/** Checks argv[1..] against the program's flags and positional rules. Returns an error or null. */
export function checkArguments(list: Allowlist, rule: ProgramRule, args: string[]): string | null {
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith("-") && arg !== "-") {
      const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (!Object.hasOwn(rule.flags, name)) return `flag ${name} is not allowed for ${rule.name}`;
      const valueRule = rule.flags[name];
      if (valueRule === null) {
        if (eq !== -1) return `flag ${name} of ${rule.name} takes no value`;
        continue;
      }
      let value: string;
      if (eq !== -1) value = arg.slice(eq + 1);
      else {
        if (i + 1 >= args.length) return `flag ${name} of ${rule.name} needs a value`;
        value = args[++i];
      }
      const problem = checkRule(list, rule.regexes, valueRule, value, `value of ${name}`);
      if (problem) return `${rule.name}: ${problem}`;
      continue;
    }
    positional.push(arg);
  }
  const max = rule.maxPositional ?? (rule.rest ? Infinity : rule.positional.length);
  if (positional.length < rule.minPositional) return `${rule.name} needs at least ${rule.minPositional} argument(s), got ${positional.length}`;
  if (positional.length > max) return `${rule.name} accepts at most ${max} argument(s), got ${positional.length}`;
  for (let i = 0; i < positional.length; i++) {
    const argRule = rule.positional[i] ?? rule.rest;
    if (!argRule) return `${rule.name}: argument ${i + 1} is not allowed`;
    const problem = checkRule(list, rule.regexes, argRule, positional[i], `argument ${i + 1}`);
    if (problem) return `${rule.name}: ${problem}`;
  }
  return null;
}

/** Checks `VAR=value` prefixes of one command. Returns an error or null. */
export function checkEnvPrefixes(list: Allowlist, env: Record<string, string>): string | null {
  for (const [name, value] of Object.entries(env)) {
    const rule = list.envPrefixes.get(name);
    if (!rule) return `environment prefix ${name}= is not allowed on this host`;
    const problem = checkRule(list, list.envRegexes, rule, value, `environment prefix ${name}=`);
    if (problem) return problem;
  }
  return null;
}

/** The blocklist wins: any matching rule refuses the command whatever the allowlist says. */
export function checkBlocklist(list: Allowlist, program: string, file: string | null, args: string[], envValues: string[]): string | null {
  const names = new Set([program, path.basename(program), ...(file ? [file, path.basename(file)] : [])]);
  for (const rule of list.blocklist) {
    const programHit = rule.program === undefined || names.has(rule.program);
    const argHit = rule.argPattern === undefined || [...args, ...envValues].some((a) => rule.argPattern!.test(a));
    if (programHit && argHit) return `blocked: ${rule.reason}`;
  }
  return null;
}

export type DeclaredRemoval = { kind: string; name: string };

/**
 * A removal program runs only when the plan declares that exact resource: a drill declares what
 * it created and removes just that. Anything else (a runbook step that happens to say `dropdb`)
 * is refused. Returns an error or null.
 */
export function checkRemoval(rule: ProgramRule, args: string[], declared: DeclaredRemoval[]): string | null {
  if (!rule.removes) return null;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("-") || arg === "-") positional.push(arg);
    // A flag that takes a value in the next argument (checkArguments has checked the forms).
    else if (!arg.includes("=") && rule.flags[arg]) i++;
  }
  const target = positional[0];
  if (positional.length !== 1 || target === undefined) return `${rule.name} removes exactly one ${rule.removes}`;
  if (!declared.some((d) => d.kind === rule.removes && d.name === target)) {
    return `${rule.name} removes only what the plan declares it removes; this plan declares no ${rule.removes} "${target}"`;
  }
  return null;
}
