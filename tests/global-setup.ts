import type { TestProject } from "vitest/node";
import { createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";

let database: TestDatabase | undefined;

export async function setup(project: TestProject) {
  database = await createTestDatabase("vitest");
  process.env.DATABASE_URL = database.url;
  process.env.TEST_ADMIN_DATABASE_URL = database.adminUrl;
  project.provide("databaseUrl", database.url);
  project.provide("adminDatabaseUrl", database.adminUrl);
}

export async function teardown() {
  await database?.cleanup();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
  }
}
