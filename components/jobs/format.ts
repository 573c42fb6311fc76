/** Timestamps on the Jobs page: UTC, to the second, the same for every viewer. */
export function formatTime(value: Date | null | undefined): string {
  if (!value) return "—";
  return value.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** JSON for display, cut to keep the page light. */
export function formatJson(value: unknown, max = 2_000): string {
  if (value === null || value === undefined) return "null";
  const text = JSON.stringify(value, null, 2);
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}
