import { describe, expect, it } from "vitest";
import { isPublicPath, safeCallbackPath } from "@/lib/auth/public-paths";

describe("public paths", () => {
  it.each(["/sign-in", "/api/auth/session", "/api/health", "/api/inngest", "/api/v1/app/acme/msg", "/test-receiver/abc", "/play/abc", "/icon.svg", "/invite/inv_abc"])(
    "%s needs no dashboard session",
    (p) => expect(isPublicPath(p)).toBe(true),
  );
  it.each(["/", "/acme/settings/integrations/webhooks", "/api/internal", "/sign-in-evil", "/playground", "/invitees", "/account"])(
    "%s needs a session",
    (p) => expect(isPublicPath(p)).toBe(false),
  );
});

describe("callback after sign-in", () => {
  it.each([
    ["/acme/settings?tab=1", "/acme/settings?tab=1"],
    ["http://localhost:3000/acme/x?y=1", "/acme/x?y=1"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/sign-in?callbackUrl=/x", "/"],
    [undefined, "/"],
  ])("%s -> %s", (input, expected) => expect(safeCallbackPath(input)).toBe(expected));
});
