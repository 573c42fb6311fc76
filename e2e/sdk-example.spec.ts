import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DEMO_ORG, expect, test } from "./fixtures";
import { createKey, serverUrl } from "./sdk";

const run = promisify(execFile);

/**
 * The README's example (`npm run example:svix`): with only the svix SDK, an endpoint on the
 * built-in test receiver, an event sent to it, and the receiver's verdict on the signature.
 */
test("the README's svix SDK example delivers an event the test receiver verifies", async ({ data }) => {
  test.setTimeout(120_000);
  const { rows } = await data.query<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = $1`, [DEMO_ORG]);
  const key = await createKey(data, rows[0]!.id, "README example");
  const { stdout } = await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/svix-example.ts"], {
    env: { ...process.env, HOOKRELAY_API_KEY: key, HOOKRELAY_URL: serverUrl() },
    timeout: 90_000,
  });
  expect(stdout).toContain(`• application ${DEMO_ORG}`);
  expect(stdout).toMatch(/✓ delivered in \d+ ms, answered 200: the test receiver verified the signature/);
  // The example cleans up its endpoint.
  const left = await data.query(`SELECT 1 FROM "Endpoint" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = $1 AND e.description LIKE 'svix SDK example%' AND e."deletedAt" IS NULL`, [DEMO_ORG]);
  expect(left.rowCount).toBe(0);
});
