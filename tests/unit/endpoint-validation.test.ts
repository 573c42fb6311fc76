import { describe, expect, it } from "vitest";
import { allowedCustomHeaders, isReservedHeader } from "@/lib/delivery/headers";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";
import {
  EVENT_FILTER_REQUIRED_MESSAGE,
  createEndpointSchema,
  customHeadersSchema,
  endpointUrlSchema,
  rateLimitSchema,
  RESERVED_HEADER_NAMES,
  reservedHeaderReason,
  updateEndpointSchema,
} from "@/lib/validations/endpoint";

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

describe("endpoint URL rules", () => {
  it("accepts http and https URLs and trims them", () => {
    expect(endpointUrlSchema.parse("  https://hooks.example.com/in?x=1 ")).toBe("https://hooks.example.com/in?x=1");
    expect(endpointUrlSchema.parse("http://127.0.0.1:8080/hook")).toBe("http://127.0.0.1:8080/hook");
  });

  it.each([
    ["ftp://example.com/x", /http:\/\/ or https:\/\//],
    ["javascript:alert(1)", /http:\/\/ or https:\/\//],
    ["https://user:pass@example.com/", /user name or password/],
    ["https://token@example.com/", /user name or password/],
    ["example.com/hook", /full URL/],
    ["", /URL is required/],
  ])("refuses %s", (url, message) => {
    expect(messages(endpointUrlSchema.safeParse(url)).join(" ")).toMatch(message);
  });

  it("allows exactly 2,048 characters and refuses more", () => {
    const base = "https://example.com/";
    expect(endpointUrlSchema.safeParse(base + "a".repeat(2048 - base.length)).success).toBe(true);
    expect(messages(endpointUrlSchema.safeParse(base + "a".repeat(2049 - base.length)))).toContain("URL must be at most 2,048 characters");
  });
});

describe("custom header rules", () => {
  it("the sender applies the same reserved list as the form, so nothing stored earlier slips through", () => {
    for (const name of RESERVED_HEADER_NAMES) expect(isReservedHeader(name), name).toBe(true);
    expect(isReservedHeader("Webhook-Signature")).toBe(true);
    expect(allowedCustomHeaders({ Host: "evil", "svix-id": "x", "X-Api-Key": "k" })).toEqual({ "x-api-key": "k" });
    expect(isReservedHeader("X-Api-Key")).toBe(false);
    expect(reservedHeaderReason("X-Api-Key")).toBeNull();
  });

  it("accepts HTTP token names and ordinary values, keeping order", () => {
    const headers = [
      { name: "X-Api-Key", value: "abc123" },
      { name: "Authorization", value: "Bearer t0ken" },
    ];
    expect(customHeadersSchema.parse(headers)).toEqual(headers);
  });

  it.each(["Host", "content-length", "Content-Type", "Transfer-Encoding", "Connection", "User-Agent", "Keep-Alive", "Expect", "webhook-signature", "Webhook-Id", "svix-timestamp"])(
    "refuses the reserved header %s with a reason",
    (name) => {
      const result = customHeadersSchema.safeParse([{ name, value: "x" }]);
      expect(result.success).toBe(false);
      expect(fieldErrorsByPath(result.error!)["0.name"]![0]).toMatch(/set by HookRelay|carry the webhook signature/);
    },
  );

  it("refuses names that are not HTTP tokens", () => {
    for (const name of ["X Api", "X:Key", "Ünicode", ""]) expect(customHeadersSchema.safeParse([{ name, value: "v" }]).success).toBe(false);
  });

  it("refuses CR or LF in values (header injection)", () => {
    for (const value of ["a\r\nX-Evil: 1", "a\nb", "a\rb"]) {
      const result = customHeadersSchema.safeParse([{ name: "X-Ok", value }]);
      expect(fieldErrorsByPath(result.error!)["0.value"]).toEqual(["Header values cannot contain line breaks"]);
    }
  });

  it("refuses duplicate names case-insensitively, pointing at the later row", () => {
    const result = customHeadersSchema.safeParse([
      { name: "X-Team", value: "a" },
      { name: "x-team", value: "b" },
    ]);
    expect(fieldErrorsByPath(result.error!)).toEqual({ "1.name": ["x-team is already set in row 1"] });
  });

  it("allows 20 headers and refuses 21", () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `X-H${i}`, value: "v" }));
    expect(customHeadersSchema.safeParse(rows(20)).success).toBe(true);
    expect(messages(customHeadersSchema.safeParse(rows(21)))).toContain("At most 20 custom headers");
  });

  it("allows 8 KB in total and refuses more", () => {
    expect(customHeadersSchema.safeParse([{ name: "X-Big", value: "v".repeat(8192 - 5) }]).success).toBe(true);
    expect(messages(customHeadersSchema.safeParse([{ name: "X-Big", value: "v".repeat(8192 - 4) }])).join()).toMatch(/8,193 bytes; the limit is 8,192 bytes/);
  });
});

describe("rate limit bounds", () => {
  it("treats empty as no limit and accepts 1 to 10,000 (numbers or form text)", () => {
    expect(rateLimitSchema.parse("")).toBeNull();
    expect(rateLimitSchema.parse(null)).toBeNull();
    expect(rateLimitSchema.parse(undefined)).toBeNull();
    expect(rateLimitSchema.parse(1)).toBe(1);
    expect(rateLimitSchema.parse("10000")).toBe(10000);
  });

  it.each([0, 10001, 2.5, -1, "abc", "1e9"])("refuses %s", (value) => {
    expect(messages(rateLimitSchema.safeParse(value))[0]).toMatch(/whole number from 1 to 10,000/);
  });
});

describe("event type filter", () => {
  const base = { org: "acme", url: "https://example.com/hook", description: "", rateLimit: "", headers: [] };

  it("refuses an empty selection with the reason, on the eventTypes field", () => {
    const result = createEndpointSchema.safeParse({ ...base, eventTypes: [] });
    expect(fieldErrorsByPath(result.error!)).toEqual({ eventTypes: [EVENT_FILTER_REQUIRED_MESSAGE] });
    expect(EVENT_FILTER_REQUIRED_MESSAGE).toMatch(/new types added later never arrive unexpectedly/);
  });

  it("refuses a missing selection too", () => {
    expect(createEndpointSchema.safeParse(base).success).toBe(false);
  });

  it("deduplicates and sorts the chosen names", () => {
    const parsed = createEndpointSchema.parse({ ...base, eventTypes: ["offer.created", "contract.created", "offer.created"] });
    expect(parsed.eventTypes).toEqual(["contract.created", "offer.created"]);
    expect(parsed.rateLimit).toBeNull();
  });

  it("defaults the URL change confirmation to false on update", () => {
    const parsed = updateEndpointSchema.parse({ ...base, endpointId: "ep_abcdefgh12345678", eventTypes: ["a.b"] });
    expect(parsed.confirmUrlChange).toBe(false);
  });
});
