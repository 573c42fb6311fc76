import pg from "pg";

/** The app process's pg pool for the executor's ingest path (raw SQL, outside Prisma's pool). */
const globalForPool = globalThis as unknown as { executorPool?: pg.Pool };

export function executorPool(): pg.Pool {
  if (!globalForPool.executorPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides it");
    globalForPool.executorPool = new pg.Pool({ connectionString: url, max: 5 });
  }
  return globalForPool.executorPool;
}
