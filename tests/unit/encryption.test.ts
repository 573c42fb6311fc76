import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, decrypt, encrypt } from "@/lib/crypto/aes-gcm";
import { CryptoConfigError, parseEncryptionKey } from "@/lib/crypto/config";

describe("AES-256-GCM sealing of secrets", () => {
  const key = randomBytes(32);

  it("round-trips and never stores the plaintext", () => {
    const sealed = encrypt("whsec_c2VjcmV0", key, "endpoint-secret:ep_1");
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain("c2VjcmV0");
    expect(decrypt(sealed, key, "endpoint-secret:ep_1")).toBe("whsec_c2VjcmV0");
    expect(encrypt("same", key, "c")).not.toBe(encrypt("same", key, "c"));
  });

  it("refuses another key, another endpoint's context and altered data", () => {
    const sealed = encrypt("whsec_x", key, "endpoint-secret:ep_1");
    expect(() => decrypt(sealed, randomBytes(32), "endpoint-secret:ep_1")).toThrow(DecryptionError);
    expect(() => decrypt(sealed, key, "endpoint-secret:ep_2")).toThrow(DecryptionError);
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1]! ^= 1;
    expect(() => decrypt(`v1.${raw.toString("base64url")}`, key, "endpoint-secret:ep_1")).toThrow(/failed authentication/);
    expect(() => decrypt("v0.abc", key, "x")).toThrow(/Unsupported ciphertext format/);
  });
});

describe("APP_ENCRYPTION_KEY", () => {
  it("accepts 32 bytes as hex, base64 or base64url", () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString("hex"), bytes.toString("base64"), bytes.toString("base64url")]) expect(parseEncryptionKey(text).equals(bytes)).toBe(true);
  });

  it("explains what is wrong with a bad key", () => {
    expect(() => parseEncryptionKey(randomBytes(16).toString("base64"))).toThrow(CryptoConfigError);
    expect(() => parseEncryptionKey(randomBytes(16).toString("base64"))).toThrow(/must be 32 bytes .* got 16 bytes/);
    expect(() => parseEncryptionKey("not a key!")).toThrow(/neither hex nor base64/);
    expect(() => parseEncryptionKey("")).toThrow(/APP_ENCRYPTION_KEY is not set: start the app with `npm start`/);
  });
});
