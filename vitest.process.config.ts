import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// Tests of whole running processes (`npm start` under its supervisor): they need the production
// build, so scripts/test-all.mjs runs them after `next build`, apart from the unit pass.
// (Not mergeConfig: it would add these to the unit tests' include list instead of replacing it.)
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["scripts/tests/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 240_000 },
});
