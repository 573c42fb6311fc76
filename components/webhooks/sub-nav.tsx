"use client";

import { ChevronRight } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { cn } from "@/lib/utils";

export interface SubNavItem {
  label: string;
  href: string;
  /** Also active on these path prefixes (e.g. endpoint pages under the Endpoints tab). */
  alsoActiveUnder?: string[];
  exact?: boolean;
}

/** Which ends of a horizontally scrolling list have more tabs beyond them. */
function useOverflow() {
  const ref = useRef<HTMLUListElement>(null);
  const [more, setMore] = useState({ start: false, end: false });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setMore({ start: el.scrollLeft > 1, end: el.scrollLeft + el.clientWidth < el.scrollWidth - 1 });
    update();
    el.addEventListener("scroll", update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      el.removeEventListener("scroll", update);
      observer.disconnect();
    };
  }, []);
  return { ref, more };
}

/**
 * Link-based tabs: each tab is a route, so it can be bookmarked and opened in a new tab. On a narrow
 * screen the row scrolls; a fade on the side that has more says so, and the active tab is scrolled into view.
 */
export function SubNav({ label, items }: { label: string; items: SubNavItem[] }) {
  const pathname = usePathname();
  const { ref, more } = useOverflow();
  useEffect(() => {
    ref.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname, ref]);
  const isActive = (item: SubNavItem) =>
    pathname === item.href ||
    (!item.exact && pathname.startsWith(item.href + "/")) ||
    (item.alsoActiveUnder ?? []).some((prefix) => pathname === prefix || pathname.startsWith(prefix + "/"));
  return (
    <nav aria-label={label} className="relative border-b" data-more-start={more.start || undefined} data-more-end={more.end || undefined}>
      <ul ref={ref} className="-mb-px flex gap-4 overflow-x-auto [scrollbar-width:thin]">
        {items.map((item) => {
          const active = isActive(item);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-block border-b-2 px-1 pb-2 text-sm font-medium whitespace-nowrap outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  active ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
      {more.start ? <div aria-hidden className="pointer-events-none absolute inset-y-0 left-0 w-8 bg-gradient-to-r from-background to-transparent" /> : null}
      {more.end ? (
        <div aria-hidden data-testid="tabs-more" className="pointer-events-none absolute inset-y-0 right-0 flex w-10 items-center justify-end bg-gradient-to-l from-background via-background/80 to-transparent">
          <ChevronRight className="size-4 text-muted-foreground" />
        </div>
      ) : null}
    </nav>
  );
}
