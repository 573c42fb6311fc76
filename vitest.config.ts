import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts", "inngest/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    setupFiles: ["tests/setup/app-env.ts"],
    pool: "forks",
    // next-auth imports `next/server` without an extension, which Node's ESM resolver refuses;
    // through Vite's resolver it loads, so a test can drive the real Auth.js handlers.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one database; each creates its own organizations and users.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
