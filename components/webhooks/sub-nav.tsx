"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

export interface SubNavItem {
  label: string;
  href: string;
  /** Also active on these path prefixes (e.g. endpoint pages under the Endpoints tab). */
  alsoActiveUnder?: string[];
  exact?: boolean;
}

/** Link-based tabs: each tab is a route, so it can be bookmarked and opened in a new tab. */
export function SubNav({ label, items }: { label: string; items: SubNavItem[] }) {
  const pathname = usePathname();
  const isActive = (item: SubNavItem) =>
    pathname === item.href ||
    (!item.exact && pathname.startsWith(item.href + "/")) ||
    (item.alsoActiveUnder ?? []).some((prefix) => pathname === prefix || pathname.startsWith(prefix + "/"));
  return (
    <nav aria-label={label} className="border-b">
      <ul className="-mb-px flex gap-4 overflow-x-auto">
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
    </nav>
  );
}
