import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Applies the committed SQL migrations (Prisma's folder format) and keeps Prisma's own
 * `_prisma_migrations` table, so `prisma migrate status/deploy` agree wherever the Prisma
 * schema engine exists. Prisma's CLI cannot run its schema engine on machines without network.
 */

/** Prisma's migrate advisory lock key: holding the same one also serialises us with `prisma migrate deploy`. */
export const MIGRATION_LOCK_KEY = 72707369;

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {}

/** Prisma's checksum: SHA-256 (hex) of the migration file's bytes. */
export function checksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

export async function readMigrations(dir = path.join(process.cwd(), "prisma/migrations")): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksum(sql) };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const done = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
      const result: MigrateResult = { applied: [], alreadyApplied: [] };
      for (const m of migrations) {
        const row = done.get(m.name);
        if (row && row.finished_at === null) {
          throw new MigrationError(
            `Migration ${m.name} failed earlier and was not rolled back. Fix the database, then mark it ` +
              `rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${m.name}').`,
          );
        }
        if (row) {
          if (row.checksum !== m.checksum) log(`warning: migration ${m.name} was modified after it was applied`);
          result.alreadyApplied.push(m.name);
          continue;
        }
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, now(), 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new MigrationError(`Migration ${m.name} failed: ${(error as Error).message}`);
        }
        log(`applied migration ${m.name}`);
        result.applied.push(m.name);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}
