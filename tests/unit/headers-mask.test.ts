import { describe, expect, it } from "vitest";
import { isSensitiveHeader, maskAuditChanges, maskHeaders, MASKED_VALUE } from "@/lib/headers-mask";

describe("which header values are secrets", () => {
  it.each(["Authorization", "proxy-authorization", "X-Api-Key", "api_key", "ApiKey", "X-Auth-Token", "Token", "X-Webhook-Secret", "Cookie", "set-cookie", "X-Password", "X-Signing-Key", "X-Session"])(
    "%s is masked",
    (name) => expect(isSensitiveHeader(name)).toBe(true),
  );
  it.each(["X-Team", "Content-Language", "X-Request-Id", "Accept", "X-Tenant", "Keyboard"])("%s is shown", (name) => expect(isSensitiveHeader(name)).toBe(false));
});

describe("masking", () => {
  it("masks only the sensitive values of a header list, keeping names and order", () => {
    expect(maskHeaders([{ name: "X-Api-Key", value: "sk_test_123" }, { name: "X-Team", value: "billing" }])).toEqual([
      { name: "X-Api-Key", value: MASKED_VALUE },
      { name: "X-Team", value: "billing" },
    ]);
  });

  it("masks header lists anywhere in an audit entry's changes and leaves the rest alone", () => {
    const changes = {
      url: { before: "https://a.test", after: "https://b.test" },
      headers: { before: [{ name: "Authorization", value: "Bearer old" }], after: [{ name: "authorization", value: "Bearer new" }, { name: "X-Team", value: "ops" }] },
      rateLimit: { before: null, after: 5 },
    };
    expect(maskAuditChanges(changes)).toEqual({
      url: { before: "https://a.test", after: "https://b.test" },
      headers: { before: [{ name: "Authorization", value: MASKED_VALUE }], after: [{ name: "authorization", value: MASKED_VALUE }, { name: "X-Team", value: "ops" }] },
      rateLimit: { before: null, after: 5 },
    });
    expect(maskAuditChanges(null)).toBeNull();
    expect(JSON.stringify(maskAuditChanges({ headers: [{ name: "X-Api-Key", value: "sk_live" }] }))).not.toContain("sk_live");
  });
});
