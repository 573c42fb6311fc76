import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverFirstAttempts } from "@/inngest/functions/deliver-message";
import { attempt } from "@/lib/delivery/attempt";
import { createGuardedAgents } from "@/lib/delivery/guarded-agent";
import { generateSecret } from "@/lib/delivery/sign";
import { parseCidrList } from "@/lib/delivery/ssrf";
import { type Receiver, startReceiver } from "@/tests/helpers/receiver";

/** Claims of docs/delivery.md that no other test held as written. */

const agents = createGuardedAgents({ allowed: parseCidrList("127.0.0.0/8") });
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  agents.destroy();
  await receiver.close();
});

describe("docs/delivery.md: only the first 64 KB of a response body is read, never half a UTF-8 character", () => {
  it("cuts a body whose 65,536th byte is inside a character before that character", async () => {
    // One ASCII byte first, then two-byte characters: byte 65,536 is the first half of one.
    receiver.setMode({ kind: "status", status: 500, body: `a${"é".repeat(40_000)}` });
    const outcome = await attempt({ url: `${receiver.url}/hooks`, messageId: "msg_claims", body: "{}", secrets: [generateSecret()] }, { timeoutMs: 10_000, agents });
    expect(outcome.responseBodyTruncated).toBe(true);
    expect(Buffer.byteLength(outcome.responseBody)).toBe(65_535);
    expect(outcome.responseBody).toBe(`a${"é".repeat(32_767)}`);
    expect(outcome.responseBody).not.toContain("\uFFFD");
  });
});

describe("docs/delivery.md: a hand-off of retries that cannot be sent is retried for hours, in batches of up to 100", () => {
  it("declares retries: 20 and batches of 100 on deliver-first-attempts", () => {
    expect(deliverFirstAttempts.opts).toMatchObject({ retries: 20, batchEvents: { maxSize: 100, timeout: "1s" } });
  });
});
