import { defineConfig } from "vitest/config";
import path from "node:path";

// Database tests run once per driver: SITREP_TEST_DRIVER=pglite|postgres (see scripts/test-all.mjs).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "lib/testing/server-only-stub.ts") } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "agent/**/*.test.ts", "refenv/**/*.test.ts", "db/**/*.test.ts", "cli/**/*.test.ts"],
    environment: "node",
    globalSetup: ["lib/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // next-auth imports "next/server" without an extension, which only a bundler resolves.
    server: { deps: { inline: ["next-auth"] } },
    fileParallelism: true,
  },
});
