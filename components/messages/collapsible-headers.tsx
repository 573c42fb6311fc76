"use client";

import { ChevronRight } from "lucide-react";
import { useId, useState } from "react";

/**
 * A receiver's response headers, closed by default: cookies and security policies rarely explain a
 * delivery and push the body down. Hidden, not unmounted, so find-in-page and copy still reach them.
 */
export function CollapsibleHeaders({ count, children }: { count: number; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="space-y-1" data-testid="response-headers">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        className="flex items-center gap-1 rounded-sm text-xs font-medium tracking-wide text-muted-foreground uppercase outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
      >
        <ChevronRight aria-hidden className={open ? "size-3.5 rotate-90 transition-transform" : "size-3.5 transition-transform"} />
        Response headers ({count})
      </button>
      <div id={id} hidden={!open}>
        {children}
      </div>
    </div>
  );
}
