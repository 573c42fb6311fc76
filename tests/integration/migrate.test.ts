import { readFile } from "node:fs/promises";
import path from "node:path";
import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { createDatabaseIfMissing, dropDatabase } from "@/scripts/lib/server/embedded-postgres";
import { withDatabase } from "@/scripts/lib/test-database";

const adminUrl = inject("adminDatabaseUrl");
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `mig_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
  await createDatabaseIfMissing(adminUrl, name);
  created.push(name);
  return withDatabase(adminUrl, name);
}

async function rows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    return res.rows as { migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }[];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
});

describe("migration runner", () => {
  it("applies every committed migration to a fresh database", async () => {
    const url = await freshDatabase();
    const files = await readMigrations();
    const result = await migrate(url);
    expect(result.applied).toEqual(files.map((f) => f.name));
    const applied = await rows(url);
    expect(applied.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(applied.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
  });

  it("is a no-op when run again", async () => {
    const url = await freshDatabase();
    await migrate(url);
    const again = await migrate(url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBeGreaterThan(0);
    expect((await rows(url)).length).toBe(again.alreadyApplied.length);
  });

  it("applies each migration once when several starts race", async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url), migrate(url)]);
    const total = results.reduce((n, r) => n + r.applied.length, 0);
    const files = await readMigrations();
    expect(total).toBe(files.length);
    expect((await rows(url)).length).toBe(files.length);
  });

  it("records Prisma's checksum: SHA-256 of the migration file", async () => {
    const url = await freshDatabase();
    await migrate(url);
    for (const row of await rows(url)) {
      const sql = await readFile(path.join("prisma/migrations", row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    }
  });

  it("refuses to continue past a migration that failed earlier", async () => {
    const url = await freshDatabase();
    await migrate(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = NULL`);
    await client.end();
    await expect(migrate(url)).rejects.toThrow(/failed earlier/);
  });
});
