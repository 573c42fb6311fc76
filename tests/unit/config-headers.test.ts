import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { configHeaders } from "@/lib/http/config-headers";

/** next.config.mjs is plain JavaScript without declarations: its shape is what this test reads. */
async function nextConfigRules(): Promise<unknown> {
  const loaded = (await import("@/next.config.mjs" as string)) as { default: { headers(): Promise<unknown> } };
  return loaded.default.headers();
}

/** next.config's answer headers as the plain API path applies them (lib/http/config-headers.ts). */
describe("next.config's headers outside Next", () => {
  it("reads the app's own rules: the four on every answer, HSTS only over HTTPS", async () => {
    const headers = configHeaders(await nextConfigRules());
    const names = (h: IncomingHttpHeaders) => headers(h).map(([name]) => name);
    expect(names({})).toEqual(["X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Permissions-Policy"]);
    expect(names({ "x-forwarded-proto": "https" })).toContain("Strict-Transport-Security");
    expect(names({ "x-forwarded-proto": "http" })).not.toContain("Strict-Transport-Security");
  });

  it("matches a `has` value as Next does: the whole value, as a regular expression; `missing` the other way round", () => {
    const headers = configHeaders([
      { source: "/:path*", has: [{ type: "header", key: "X-Mode", value: "b" }], headers: [{ key: "x-has", value: "1" }] },
      { source: "/:path*", missing: [{ type: "header", key: "x-mode" }], headers: [{ key: "x-missing", value: "1" }] },
    ]);
    expect(headers({ "x-mode": "b" })).toEqual([["x-has", "1"]]);
    expect(headers({ "x-mode": "ab" })).toEqual([]);
    expect(headers({})).toEqual([["x-missing", "1"]]);
  });

  it("refuses a rule it cannot apply as Next would, rather than answer differently", () => {
    expect(() => configHeaders([{ source: "/api/:path*", headers: [{ key: "x", value: "1" }] }])).toThrow(/source/);
    expect(() => configHeaders([{ source: "/:path*", has: [{ type: "cookie", key: "c" }], headers: [{ key: "x", value: "1" }] }])).toThrow();
    expect(() => configHeaders([{ source: "/:path*", headers: [{ key: "x", value: ":path" }] }])).toThrow(/parameter/);
  });
});
