import { refenvOptionsFromEnv } from "./config";
import { startRefenv } from "./index";

// Standalone entry: `npx tsx refenv/main.ts`. Prints one JSON line with the URLs once every
// surface listens (a parent process can wait for it), then runs until SIGINT/SIGTERM.
const options = refenvOptionsFromEnv();
const env = await startRefenv(options);
process.stdout.write(
  JSON.stringify({
    event: "refenv.started",
    urls: env.urls,
    stateDir: env.stateDir,
    // Printed only when generated here, so a developer can flip faults by hand.
    adminToken: options.adminToken ? undefined : env.adminToken,
  }) + "\n",
);

const shutdown = async () => {
  await env.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
