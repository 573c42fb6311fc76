import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { inProcessIngestFetch } from "@/inngest/executor/in-process-ingest";
import { startReceiver } from "@/tests/helpers/receiver";

const config = { mode: "embedded" as const, executorKey: "in-process-key-0123456789abcdef0123456789", ingestBaseUrl: "http://127.0.0.1:9/api/inngest/" };
const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
afterAll(() => pool.end());

describe("in-process ingest for the app's own inngest.send()", () => {
  it("stores the events the real SDK sends, with no HTTP server behind the ingest URL", async () => {
    const client = new Inngest({ id: "in-process-test", isDev: true, baseUrl: config.ingestBaseUrl, eventKey: config.executorKey, fetch: inProcessIngestFetch(config) });
    const marker = `m-${Date.now()}`;
    const { ids } = await client.send([{ name: "test/in-process", data: { marker } }, { name: "test/in-process", data: { marker } }]);
    expect(ids).toHaveLength(2);
    const { rows } = await pool.query(`SELECT name FROM executor_events WHERE data->>'marker' = $1`, [marker]);
    expect(rows).toHaveLength(2);
  });

  it("refuses a wrong key, and passes every other URL to the real fetch", async () => {
    const send = inProcessIngestFetch(config);
    const refused = await send(`${config.ingestBaseUrl}e/wrong-key`, { method: "POST", body: "[]" });
    expect(refused.status).toBe(401);
    const receiver = await startReceiver();
    try {
      const passed = await send(`${receiver.url}/elsewhere`, { method: "POST", body: "{}" });
      expect(passed.status).toBe(200);
      expect(receiver.total).toBe(1);
    } finally {
      await receiver.close();
    }
  });
});
