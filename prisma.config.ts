import { defineConfig } from "prisma/config";

// The CLI only needs a URL for commands that talk to the database; `generate` does not.
export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/hookrelay" },
});
