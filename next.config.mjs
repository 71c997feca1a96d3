/** @type {import('next').NextConfig} */
const nextConfig = {
  // A second build folder lets parallel builds (e.g. a benchmark next to a dev server) coexist.
  distDir: process.env.SITREP_DIST_DIR || ".next",
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "bcryptjs"],
  poweredByHeader: false,
  typedRoutes: false,
  // Runbook uploads go through a server action; runbooks may be up to 2 MB each.
  // authInterrupts: forbidden() answers a refused page with 403 and app/(console)/forbidden.tsx.
  experimental: { serverActions: { bodySizeLimit: "3mb" }, authInterrupts: true },
};

export default nextConfig;
