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
