import { TEST_EXECUTOR_KEY } from "@/tests/helpers/executor-harness";
import { freePort } from "@/scripts/lib/test-database";

/**
 * Runs before each test file's imports: the app's Inngest client (created when `@/inngest/client`
 * is first imported) posts events to the embedded ingest route of this file's own test app port.
 * Files that send events start that app (or a stand-in) on TEST_APP_PORT.
 */
const port = await freePort();
process.env.TEST_APP_PORT = String(port);
process.env.EXECUTOR_APP_URL = `http://127.0.0.1:${port}`;
process.env.EXECUTOR_KEY = TEST_EXECUTOR_KEY;
// Every API answer is checked against its documented schema in tests (lib/api/v1/handle.ts).
process.env.API_CHECK_RESPONSES = "true";
