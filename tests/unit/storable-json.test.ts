import { describe, expect, it } from "vitest";
import { sendEventFormSchema, sendEventSchema } from "@/lib/validations/message";
import { describePath, findUnstorableJson, MAX_JSON_DEPTH } from "@/lib/validations/storable-json";

function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { d: value };
  return value;
}

describe("findUnstorableJson", () => {
  it("accepts what PostgreSQL stores: other control characters, a surrogate pair, the escape written as text", () => {
    expect(findUnstorableJson({ a: "\u0001\u001f\u007f\t", b: ["\ud83d\ude00", "\\u0000"], "\u2028": 1e308, c: null })).toBeNull();
    expect(findUnstorableJson(nested(MAX_JSON_DEPTH))).toBeNull();
  });

  it("finds a NUL in a value or a key, and a lone surrogate of either half, at its place", () => {
    expect(findUnstorableJson({ a: [1, { b: "x\u0000" }] })).toMatchObject({ path: ["a", 1, "b"], msg: expect.stringContaining("NUL character (\\u0000) at position 1") });
    expect(findUnstorableJson({ a: { "k\u0000": 1 } })).toMatchObject({ path: ["a", "k\u0000"], msg: expect.stringMatching(/^key contains a NUL/) });
    expect(findUnstorableJson(["ok", "\ud800x"])).toMatchObject({ path: [1], msg: expect.stringContaining("lone UTF-16 surrogate (\\ud800) at position 0") });
    expect(findUnstorableJson({ s: "x\udc00" })).toMatchObject({ path: ["s"], msg: expect.stringContaining("(\\udc00) at position 1") });
  });

  it("refuses a number JSON.parse read as Infinity, which would be stored as null", () => {
    expect(findUnstorableJson(JSON.parse('{"n":[1e400]}'))).toMatchObject({ path: ["n", 0], msg: expect.stringContaining("too large") });
    expect(findUnstorableJson(JSON.parse('{"n":-1e400}'))).toMatchObject({ path: ["n"] });
    expect(findUnstorableJson(JSON.parse('{"n":1e-400,"m":123456789012345678901234567890}'))).toBeNull();
  });

  it("refuses nesting deeper than the limit, without overflowing on a very deep value", () => {
    expect(findUnstorableJson(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ path: Array(MAX_JSON_DEPTH).fill("d"), msg: `is nested deeper than ${MAX_JSON_DEPTH} levels` });
    expect(findUnstorableJson(nested(200_000))).toMatchObject({ msg: expect.stringContaining("nested deeper") });
    expect(describePath(Array(MAX_JSON_DEPTH).fill("d"))).toBe("d.d.d.….d.d");
  });

  it("is applied by the message schemas the dashboard's send-event form and server action use", () => {
    const fromForm = sendEventFormSchema.safeParse({ org: "acme", eventType: "contract.created", payloadJson: '{"note":"a\\u0000b"}' });
    expect(fromForm.error?.issues).toEqual([expect.objectContaining({ path: ["payloadJson"], message: expect.stringContaining("The payload: note contains a NUL") })]);
    const fromObject = sendEventSchema.safeParse({ eventType: "contract.created", payload: { list: ["\ud800"] } });
    expect(fromObject.error?.issues).toEqual([expect.objectContaining({ path: ["payload", "list", 0] })]);
  });
});
