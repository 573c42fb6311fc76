import { createHmac } from "node:crypto";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import { generateSecret, SecretError, secretKey, signatureHeader, signatureHeaders, unixSeconds } from "@/lib/delivery/sign";

const body = Buffer.from(JSON.stringify({ type: "invoice.paid", data: { amount: 4200, note: "café ☕" } }));

function signed(secrets: string[], payload: Buffer = body) {
  return signatureHeaders({ messageId: "msg_2xYz", timestamp: unixSeconds(), body: payload, secrets });
}

describe("Standard Webhooks signatures", () => {
  it("sends webhook-id, webhook-timestamp in unix seconds and a v1 signature", () => {
    const secret = generateSecret();
    const headers = signatureHeaders({ messageId: "msg_1", timestamp: 1_700_000_000, body, secrets: [secret] });
    const expected = createHmac("sha256", secretKey(secret)).update(Buffer.concat([Buffer.from("msg_1.1700000000."), body])).digest("base64");
    expect(headers).toEqual({ "webhook-id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": `v1,${expected}` });
  });

  it("verifies with the independent standardwebhooks library", () => {
    const secret = generateSecret();
    expect(new StandardWebhook(secret).verify(body, { ...signed([secret]) })).toEqual(JSON.parse(body.toString()));
  });

  it("verifies with svix's verifier", () => {
    const secret = generateSecret();
    expect(() => new SvixWebhook(secret).verify(body, { ...signed([secret]) })).not.toThrow();
  });

  it("matches what standardwebhooks itself signs", () => {
    const secret = generateSecret();
    const at = new Date(1_700_000_123_000);
    const ours = signatureHeader({ messageId: "msg_9", timestamp: unixSeconds(at), body, secrets: [secret] });
    expect(ours).toBe(new StandardWebhook(secret).sign("msg_9", at, body));
  });

  it("signs with every secret during rotation, newest first, and each one alone verifies", () => {
    const [newest, previous] = [generateSecret(), generateSecret()];
    const headers = signed([newest, previous]);
    const parts = headers["webhook-signature"].split(" ");
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(signed([newest])["webhook-signature"]);
    for (const secret of [newest, previous]) {
      expect(() => new StandardWebhook(secret).verify(body, { ...headers })).not.toThrow();
      expect(() => new SvixWebhook(secret).verify(body, { ...headers })).not.toThrow();
    }
    expect(() => new StandardWebhook(generateSecret()).verify(body, { ...headers })).toThrow(/No matching signature/);
  });

  it("fails verification when a single byte of the body differs", () => {
    const secret = generateSecret();
    const headers = signed([secret]);
    const tampered = Buffer.from(body);
    tampered[10] ^= 1;
    expect(() => new StandardWebhook(secret).verify(tampered, { ...headers })).toThrow();
  });
});

describe("signing secrets", () => {
  it("are whsec_ and the base64 of 32 random bytes", () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(secret)).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });

  it("accepts 24-byte keys as Svix issues them", () => {
    expect(secretKey(`whsec_${Buffer.alloc(24, 7).toString("base64")}`)).toHaveLength(24);
  });

  it("rejects malformed secrets with the reason", () => {
    expect(() => secretKey("c2VjcmV0")).toThrow(/starts with "whsec_"/);
    expect(() => secretKey("whsec_not base64!")).toThrow(/must be base64/);
    expect(() => secretKey(`whsec_${Buffer.alloc(8).toString("base64")}`)).toThrow(/24 to 64 bytes, got 8/);
    expect(() => signatureHeader({ messageId: "m", timestamp: 1, body, secrets: [] })).toThrow(SecretError);
  });
});
