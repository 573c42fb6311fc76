import { cn } from "@/lib/utils";

const TAIL_MAX = 20;

/**
 * The part of an endpoint URL that tells it apart from its neighbours: its last path segment (with
 * the query), or the port when there is no path. Endpoints of one organization usually share the
 * scheme and host, so the end is what must stay visible.
 */
export function urlTail(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  const schemeEnd = trimmed.indexOf("//") + 2;
  const lastSlash = trimmed.lastIndexOf("/");
  const tail = lastSlash >= schemeEnd ? trimmed.slice(lastSlash) : trimmed.slice(Math.max(schemeEnd, trimmed.lastIndexOf(":")));
  return url.slice(url.length - Math.min(TAIL_MAX, Math.max(tail.length + (url.length - trimmed.length), 1)));
}

/**
 * A URL that loses its middle, not its end, when the space runs out: the head truncates with an
 * ellipsis (CSS, so it adapts to any width) and the tail always shows. The whole URL stays in the
 * text (copy, find, screen readers) and in the tooltip.
 */
export function EndpointUrl({ url, className }: { url: string; className?: string }) {
  const tail = urlTail(url);
  const head = url.slice(0, url.length - tail.length);
  return (
    <span className={cn("flex min-w-0 font-mono", className)} title={url}>
      <span className="truncate">{head}</span>
      <span className="shrink-0 whitespace-pre">{tail}</span>
    </span>
  );
}
