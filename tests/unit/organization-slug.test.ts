import { describe, expect, it } from "vitest";
import { orgSlugSchema } from "@/lib/validations/organization";

describe("organization slugs", () => {
  it.each(["platform", "sign-in", "login", "api", "test-receiver", "play"])("%s is reserved for the app's own pages", (slug) => {
    const result = orgSlugSchema.safeParse(slug);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(`"${slug}" is reserved by HookRelay; choose another slug`);
  });

  it.each(["acme", "platform-team", "my-platform", "e2e-1234abcd"])("%s is accepted", (slug) => expect(orgSlugSchema.parse(slug)).toBe(slug));
});
