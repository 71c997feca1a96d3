import { STATIC_SECURITY_HEADERS, STATUS_SECURITY_HEADERS } from "./lib/http/security-headers.mjs";

const asList = (headers) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A second build folder lets parallel builds (e.g. a benchmark next to a dev server) coexist.
  distDir: process.env.SITREP_DIST_DIR || ".next",
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "@node-rs/bcrypt"],
  poweredByHeader: false,
  typedRoutes: false,
  // Runbook uploads go through a server action; runbooks may be up to 2 MB each.
  // authInterrupts: forbidden() answers a refused page with 403 and app/(console)/forbidden.tsx.
  experimental: { serverActions: { bodySizeLimit: "3mb" }, authInterrupts: true },
  // Every response gets the static security headers; the public status documents (which skip the
  // proxy, where pages get their per-request CSP) get their own script-free policy here.
  async headers() {
    return [
      { source: "/:path*", headers: asList(STATIC_SECURITY_HEADERS) },
      ...["/status", "/status/:path*", "/status.json"].map((source) => ({ source, headers: asList(STATUS_SECURITY_HEADERS) })),
    ];
  },
};

export default nextConfig;
