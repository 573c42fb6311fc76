import { splitInlineCode } from "@/lib/text/inline-code";

/** Plain text with `backticked` spans shown as code. Text only: nothing in it is ever read as markup. */
export function InlineCodeText({ text }: { text: string }) {
  return (
    <>
      {splitInlineCode(text).map((part, i) =>
        part.kind === "code" ? (
          <code key={i} className="rounded bg-muted px-1 py-0.5 font-mono text-[0.9em] text-foreground">
            {part.text}
          </code>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
