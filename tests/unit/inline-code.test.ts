import { describe, expect, it } from "vitest";
import { splitInlineCode } from "@/lib/text/inline-code";

describe("inline code in descriptions", () => {
  it("splits backticked spans out of the text", () => {
    expect(splitInlineCode("Sent when `contract.status` becomes `active`.")).toEqual([
      { kind: "text", text: "Sent when " },
      { kind: "code", text: "contract.status" },
      { kind: "text", text: " becomes " },
      { kind: "code", text: "active" },
      { kind: "text", text: "." },
    ]);
  });

  it("keeps unmatched and empty backticks as literal text", () => {
    expect(splitInlineCode("a ` lone tick")).toEqual([{ kind: "text", text: "a ` lone tick" }]);
    expect(splitInlineCode("empty `` pair")).toEqual([{ kind: "text", text: "empty `` pair" }]);
  });

  it("returns markup-looking text as text, never as markup", () => {
    expect(splitInlineCode("`<script>` <b>x</b>")).toEqual([
      { kind: "code", text: "<script>" },
      { kind: "text", text: " <b>x</b>" },
    ]);
  });
});
