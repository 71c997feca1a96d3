/** @type {import('next').NextConfig} */
const nextConfig = {
  // A second build folder lets parallel builds (e.g. a benchmark next to a dev server) coexist.
  distDir: process.env.SITREP_DIST_DIR || ".next",
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "bcryptjs"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
