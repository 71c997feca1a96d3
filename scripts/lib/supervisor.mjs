// A small process supervisor for `npm start`: each piece of a running Sitrep (console, reference
// environment, host agent) is a child process; one that dies is logged and started again after a
// back-off, and never takes the others down. What every child is doing goes to a status file in
// the data folder (supervisor.json), which the console reads for /api/health and the Overview.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const STATUS_FILE = "supervisor.json";

// Restart delays: 0.5 s, 1 s, 2 s, … up to 30 s. A child that then stays up for STABLE_MS starts
// the count again. CRASH_LOOP_EXITS exits within CRASH_LOOP_WINDOW_MS is a crash loop: it is
// reported (and still retried at the longest delay), because a person has to look at it.
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const STABLE_MS = 60_000;
const CRASH_LOOP_EXITS = 5;
const CRASH_LOOP_WINDOW_MS = 120_000;

/**
 * @typedef {{ command: string, args: string[], env?: NodeJS.ProcessEnv }} Launch
 * @typedef {{
 *   name: string,
 *   label?: string,
 *   launch: () => Launch,
 *   ready?: (child: import("node:child_process").ChildProcess) => Promise<unknown>,
 *   onReady?: (value: unknown, restarts: number) => void,
 *   quiet?: boolean,
 * }} ChildSpec
 */

export class Supervisor {
  /** @param {{ statusFile?: string, log?: (line: string) => void }} options */
  constructor(options = {}) {
    this.statusFile = options.statusFile;
    this.log = options.log ?? ((line) => process.stdout.write(line + "\n"));
    /** @type {Map<string, any>} */
    this.children = new Map();
    this.stopping = false;
    this.writeStatus();
  }

  /** Starts a child and keeps it running; resolves once it is ready the first time. */
  add(/** @type {ChildSpec} */ spec) {
    const entry = { spec, child: null, state: "starting", restarts: 0, exits: [], delayMs: FIRST_DELAY_MS, since: new Date().toISOString(), lastExit: null, pid: null, timer: null, stableTimer: null };
    this.children.set(spec.name, entry);
    return this.launch(entry);
  }

  /** Stops a child on purpose and starts it again now (e.g. its configuration changed). */
  restart(name) {
    const entry = this.children.get(name);
    if (!entry?.child || entry.child.exitCode !== null) return;
    entry.replacing = true;
    entry.child.kill("SIGTERM");
  }

  launch(entry) {
    const { spec } = entry;
    const { command, args, env } = spec.launch();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env, cwd: process.cwd() });
    entry.child = child;
    entry.pid = child.pid ?? null;
    entry.state = "starting";
    entry.since = new Date().toISOString();
    this.writeStatus();
    const prefix = `[${spec.name}] `;
    for (const stream of [child.stdout, child.stderr]) {
      stream.on("data", (chunk) => {
        if (spec.quiet) return;
        for (const line of String(chunk).split("\n")) if (line.trim()) process.stdout.write(prefix + line + "\n");
      });
    }
    let readiness = Promise.resolve(undefined);
    if (spec.ready) readiness = spec.ready(child);
    const whenReady = readiness.then(
      (value) => {
        if (entry.child !== child || child.exitCode !== null) return value;
        entry.state = "running";
        this.writeStatus();
        // Up long enough: the next crash is a first one again.
        entry.stableTimer = setTimeout(() => {
          entry.delayMs = FIRST_DELAY_MS;
          entry.exits = [];
          if (entry.state === "running") this.writeStatus();
        }, STABLE_MS);
        entry.stableTimer.unref();
        spec.onReady?.(value, entry.restarts);
        return value;
      },
      (error) => {
        this.log(`${prefix}did not become ready: ${error.message}`);
        if (child.exitCode === null) child.kill("SIGKILL");
        throw error;
      },
    );
    child.on("exit", (code, signal) => this.exited(entry, child, code, signal));
    return whenReady;
  }

  exited(entry, child, code, signal) {
    if (entry.child !== child) return;
    clearTimeout(entry.stableTimer);
    entry.child = null;
    entry.pid = null;
    const at = Date.now();
    entry.lastExit = { code, signal, at: new Date(at).toISOString() };
    if (this.stopping) {
      entry.state = "stopped";
      this.writeStatus();
      return;
    }
    const label = `[${entry.spec.name}] `;
    if (entry.replacing) {
      entry.replacing = false;
      this.log(`${label}stopped for a restart; starting it again.`);
      entry.restarts++;
      this.launch(entry).catch(() => undefined);
      return;
    }
    entry.exits = [...entry.exits.filter((t) => at - t < CRASH_LOOP_WINDOW_MS), at];
    const crashLoop = entry.exits.length >= CRASH_LOOP_EXITS;
    const delay = crashLoop ? MAX_DELAY_MS : entry.delayMs;
    entry.delayMs = Math.min(entry.delayMs * 2, MAX_DELAY_MS);
    entry.state = crashLoop ? "crash-loop" : "restarting";
    entry.nextStartAt = new Date(at + delay).toISOString();
    this.log(
      `${label}exited (${signal ?? `code ${code}`}); ${crashLoop ? `crash loop: ${entry.exits.length} exits in ${CRASH_LOOP_WINDOW_MS / 60_000} min, ` : ""}restarting in ${(delay / 1000).toFixed(1)} s. The other processes keep running.`,
    );
    this.writeStatus();
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (this.stopping) return;
      entry.restarts++;
      // A child that fails to become ready exits (or is killed) and comes back here.
      this.launch(entry).catch(() => undefined);
    }, delay);
  }

  /** Everything the console shows about its sibling processes. */
  status() {
    return {
      pid: process.pid,
      updatedAt: new Date().toISOString(),
      children: [...this.children.values()].map((e) => ({
        name: e.spec.name,
        label: e.spec.label ?? e.spec.name,
        state: e.state,
        pid: e.pid,
        since: e.since,
        restarts: e.restarts,
        recentExits: e.exits.length,
        lastExit: e.lastExit,
        nextStartAt: e.state === "restarting" || e.state === "crash-loop" ? e.nextStartAt : undefined,
      })),
    };
  }

  writeStatus() {
    if (!this.statusFile) return;
    const tmp = `${this.statusFile}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.statusFile), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(this.status(), null, 2), { mode: 0o600 });
      fs.renameSync(tmp, this.statusFile);
    } catch (error) {
      this.log(`[supervisor] could not write ${this.statusFile}: ${error.message}`);
    }
  }

  /** Stops every child (SIGTERM, then SIGKILL after graceMs) and resolves when all are gone. */
  async stop(graceMs = 5_000) {
    if (this.stopping) return;
    this.stopping = true;
    const waits = [];
    for (const entry of this.children.values()) {
      clearTimeout(entry.timer);
      clearTimeout(entry.stableTimer);
      const child = entry.child;
      if (!child || child.exitCode !== null) continue;
      waits.push(
        new Promise((resolve) => {
          child.once("exit", resolve);
          child.kill("SIGTERM");
          setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), graceMs).unref();
        }),
      );
    }
    await Promise.all(waits);
    if (this.statusFile) fs.rmSync(this.statusFile, { force: true });
  }
}

/** Resolves with the first JSON document a child prints on stdout. */
export function firstJson(child, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`no start summary within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (chunk) => {
      buffer += String(chunk);
      const start = buffer.indexOf("{");
      if (start === -1) return;
      try {
        const parsed = JSON.parse(buffer.slice(start));
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve(parsed);
      } catch {
        // the JSON is still arriving
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited during start (${signal ?? code})`));
    });
  });
}

/** Resolves with the first JSON line on stdout that has `event: <name>`. */
export function jsonEvent(child, event, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (chunk) => {
      buffer += String(chunk);
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.includes(`"${event}"`)) continue;
        try {
          const parsed = JSON.parse(line);
          if (parsed.event !== event) continue;
          clearTimeout(timer);
          child.stdout.off("data", onData);
          return resolve(parsed);
        } catch {
          // not a JSON line
        }
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited during start (${signal ?? code})`));
    });
  });
}

/** Resolves when an HTTP URL answers at all (a 503 "database down" is a running console). Rejects if the child exits first. */
export function httpReady(child, url, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const until = Date.now() + timeoutMs;
    let exited = false;
    child.once("exit", (code, signal) => {
      exited = true;
      reject(new Error(`exited during start (${signal ?? code})`));
    });
    const poll = async () => {
      if (exited) return;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
        await response.body?.cancel();
        return resolve(response.status);
      } catch {
        // not listening yet
      }
      if (Date.now() > until) return reject(new Error(`${url} did not answer within ${timeoutMs / 1000} s`));
      setTimeout(poll, 300);
    };
    void poll();
  });
}
