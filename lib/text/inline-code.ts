export type InlinePart = { kind: "text" | "code"; text: string };

/**
 * Splits Markdown-style `inline code` out of plain text. Only single backticks with something between
 * them count; an unmatched backtick stays literal text, so nothing a catalog author types is lost.
 */
export function splitInlineCode(source: string): InlinePart[] {
  const parts: InlinePart[] = [];
  const pattern = /`([^`\n]+)`/g;
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    if (match.index > last) parts.push({ kind: "text", text: source.slice(last, match.index) });
    parts.push({ kind: "code", text: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push({ kind: "text", text: source.slice(last) });
  return parts;
}

export type MarkupPart = { kind: "text" | "code" | "strong"; text: string };

/**
 * `splitInlineCode` plus `**strong**` outside code spans: the little Markdown the API's
 * descriptions use. Like code spans, an unmatched `**` stays literal.
 */
export function splitInlineMarkup(source: string): MarkupPart[] {
  return splitInlineCode(source).flatMap((part): MarkupPart[] => {
    if (part.kind === "code") return [part];
    const out: MarkupPart[] = [];
    let last = 0;
    for (const match of part.text.matchAll(/\*\*([^*\n]+)\*\*/g)) {
      if (match.index > last) out.push({ kind: "text", text: part.text.slice(last, match.index) });
      out.push({ kind: "strong", text: match[1]! });
      last = match.index + match[0].length;
    }
    if (last < part.text.length) out.push({ kind: "text", text: part.text.slice(last) });
    return out;
  });
}

/** Paragraphs are separated by a blank line. */
export function paragraphsOf(source: string): string[] {
  return source
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
