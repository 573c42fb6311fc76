import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { attempt } from "@/lib/delivery/attempt";
import { createGuardedAgents } from "@/lib/delivery/guarded-agent";
import { parseCidrList } from "@/lib/delivery/ssrf";
import { createEndpoint, getEndpoint, listEndpoints, revealEndpointSecret, rotateEndpointSecret } from "@/lib/endpoints/endpoints";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { type Receiver, startReceiver } from "@/tests/helpers/receiver";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";
import { captureLogs } from "@/tests/helpers/log-capture";

/**
 * docs/webhooks.md: "Secrets are never logged, never put in audit entries and never sent to the
 * page unless revealed", and rotation's 24 hours, written as the literal the document states.
 */

setTestEncryptionKey();
const agents = createGuardedAgents({ allowed: parseCidrList("127.0.0.0/8") });
let receiver: Receiver;

beforeAll(async () => {
  await ensureCatalog();
  receiver = await startReceiver();
});
afterAll(async () => {
  agents.destroy();
  await receiver.close();
});

/** Everything the process writes while `run` runs: the product's logger (lib/observability/log.ts), console calls and raw writes to stdout and stderr. */
async function output(run: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const keep = (...args: unknown[]) => {
    written.push(args.map((a) => (typeof a === "string" ? a : a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a))).join(" "));
  };
  const spies = [
    ...(["log", "info", "warn", "error", "debug", "trace"] as const).map((method) => vi.spyOn(console, method).mockImplementation(keep)),
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (keep(String(chunk)), true)),
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (keep(String(chunk)), true)),
  ];
  const logs = captureLogs();
  try {
    await run();
  } finally {
    logs.restore();
    for (const spy of spies) spy.mockRestore();
  }
  return [...written, ...logs.lines.map((line) => JSON.stringify(line))].join("\n");
}

describe("docs/webhooks.md: signing secrets are never logged, never in audit entries, never sent to the page unless revealed", () => {
  it("keeps both secrets of a rotation out of the log, the audit entries and the endpoint's view", async () => {
    const org = await createOrg();
    const user = await createUser();
    const actor = { id: user.id, email: user.email };
    const secrets: string[] = [];
    let endpointId = "";

    const logged = await output(async () => {
      const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${receiver.url}/hooks`, eventTypes: ["contract.created"], rateLimit: "" }), actor);
      if (!created.ok) throw new Error(created.message);
      endpointId = created.id;
      const first = await revealEndpointSecret(org.id, endpointId, actor);
      if (!first.ok) throw new Error(first.message);
      secrets.push(first.secret);
      await rotateEndpointSecret(org.id, endpointId, actor);
      const second = await revealEndpointSecret(org.id, endpointId, actor);
      if (!second.ok) throw new Error(second.message);
      secrets.push(second.secret);

      // Signing with both, once answered and once failing (a refused connection, then a 500).
      const signing = await activeSigningSecrets(endpointId);
      expect(signing.sort()).toEqual([...secrets].sort());
      const input = { messageId: "msg_claims", body: "{}", secrets: signing };
      expect((await attempt({ ...input, url: `${receiver.url}/hooks` }, { timeoutMs: 10_000, agents })).ok).toBe(true);
      receiver.setMode({ kind: "status", status: 500, body: "no" });
      expect((await attempt({ ...input, url: `${receiver.url}/hooks` }, { timeoutMs: 10_000, agents })).ok).toBe(false);
      expect((await attempt({ ...input, url: "http://127.0.0.1:9/hooks" }, { timeoutMs: 10_000, agents })).ok).toBe(false);
    });

    expect(secrets).toHaveLength(2);
    expect(secrets[0]).not.toBe(secrets[1]);
    const audit = JSON.stringify(await db.auditLog.findMany({ where: { endpointId } }));
    const view = JSON.stringify([await getEndpoint(org.id, endpointId), await listEndpoints(org.id)]);
    for (const secret of secrets) {
      const key = secret.slice("whsec_".length);
      expect(logged).not.toContain(key);
      expect(audit).not.toContain(key);
      expect(view).not.toContain(key);
    }
    // The audit trail has the rotation and both reveals, just not the values.
    expect(audit).toContain("endpoint.secret_rotated");
    expect(audit.match(/endpoint\.secret_revealed/g)).toHaveLength(2);
  });
});

describe("docs/webhooks.md: rotation keeps the previous secret signing for 24 hours", () => {
  it("signs with both until 24 hours after the rotation, then with the new one alone", async () => {
    const org = await createOrg();
    const user = await createUser();
    const actor = { id: user.id, email: user.email };
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: "http://127.0.0.1:9/claims", eventTypes: ["contract.created"], rateLimit: "" }), actor);
    if (!created.ok) throw new Error(created.message);
    const t0 = new Date("2031-03-01T00:00:00Z");
    const rotated = await rotateEndpointSecret(org.id, created.id, actor, t0);
    expect(rotated).toEqual({ ok: true, previousExpiresAt: new Date("2031-03-02T00:00:00Z") });
    expect(await activeSigningSecrets(created.id, new Date("2031-03-01T23:59:59Z"))).toHaveLength(2);
    expect(await activeSigningSecrets(created.id, new Date("2031-03-02T00:00:00Z"))).toHaveLength(1);
  });
});
