import { paragraphsOf, splitInlineMarkup } from "@/lib/text/inline-code";
import { cn } from "@/lib/utils";

const codeClass = "rounded bg-muted px-1 py-0.5 font-mono text-[0.9em] text-foreground break-words";

/** One line of text with `code` and **strong** spans, as React text: nothing in it is read as HTML. */
export function InlineMarkup({ text }: { text: string }) {
  return (
    <>
      {splitInlineMarkup(text).map((part, i) =>
        part.kind === "code" ? (
          <code key={i} className={codeClass}>
            {part.text}
          </code>
        ) : part.kind === "strong" ? (
          <strong key={i} className="font-semibold text-foreground">
            {part.text}
          </strong>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

/** Paragraphs (blank-line separated) of `InlineMarkup`. */
export function RichText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={cn("space-y-2", className)}>
      {paragraphsOf(text).map((paragraph, i) => (
        <p key={i}>
          <InlineMarkup text={paragraph} />
        </p>
      ))}
    </div>
  );
}
