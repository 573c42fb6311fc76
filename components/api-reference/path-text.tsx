import { Fragment } from "react";
import { cn } from "@/lib/utils";

/**
 * An API path with its `{parameters}` set apart. Long paths wrap after a `/` where they can and
 * anywhere else only when a segment alone is too wide, so they fit a phone and a narrow index.
 */
export function PathText({ path, className }: { path: string; className?: string }) {
  return (
    <code className={cn("font-mono [overflow-wrap:anywhere]", className)}>
      {path.split(/(?<=\/)/).map((segment, i) => (
        <Fragment key={i}>
          {segment.split(/(\{[^}]+\})/).map((part, j) =>
            part.startsWith("{") ? (
              <span key={j} className="text-muted-foreground">
                {part}
              </span>
            ) : (
              part
            ),
          )}
          <wbr />
        </Fragment>
      ))}
    </code>
  );
}
