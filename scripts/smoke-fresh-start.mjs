#!/usr/bin/env node
// The README's start command on a machine with no data folder: it must come up and serve the
// sign-in page. Uses the existing build (the start command builds only when sources changed).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root } from "./lib/stack.mjs";

const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-fresh-")), "data");
const port = 3950;
const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs"), "--port", String(port)], {
  cwd: root,
  env: { ...process.env, SITREP_DATA_DIR: dataDir, DATABASE_URL: "", SITREP_ADMIN_EMAIL: "", SITREP_ADMIN_PASSWORD: "", AUTH_SECRET: "" },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let log = "";
child.stdout.on("data", (c) => (log += c));
child.stderr.on("data", (c) => (log += c));

function finish(code, message) {
  console.log(message);
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  setTimeout(() => {
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    process.exit(code);
  }, 1500);
}

const until = Date.now() + 120_000;
while (Date.now() < until) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/sign-in`);
    const html = await response.text();
    if (response.ok && html.includes("Sign in")) {
      const printed = /password: \S+/.test(log);
      if (!printed) finish(1, "Served the sign-in page, but the generated admin password was not printed in the server log.");
      else finish(0, `Fresh start served the sign-in page on port ${port} and printed the first admin's password once.`);
      break;
    }
  } catch {}
  if (child.exitCode !== null) {
    finish(1, `The start command exited early (${child.exitCode}):\n${log}`);
    break;
  }
  await new Promise((r) => setTimeout(r, 500));
}
if (Date.now() >= until) finish(1, `No sign-in page within 120 s:\n${log}`);
