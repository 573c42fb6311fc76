"use client";

import { ChevronDown, Search } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { PathText } from "@/components/api-reference/path-text";
import { useUrlState } from "@/components/data-table/use-url-state";
import { Input } from "@/components/ui/input";
import { matchesFilter, sectionOfFragment, type IndexSection, type Method } from "@/lib/api/v1/reference";
import { cn } from "@/lib/utils";

/** The badge colours of the operation cards, without the badge's weight: the index repeats it for every operation. */
const METHOD_CLASS: Record<Method, string> = {
  GET: "bg-success text-success-foreground",
  POST: "bg-primary text-primary-foreground",
  PUT: "bg-warning text-warning-foreground",
  PATCH: "bg-warning text-warning-foreground",
  DELETE: "bg-destructive text-white dark:bg-destructive/60",
};

const linkClass = "rounded outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring";

/**
 * Every operation of every section, with the filter. The page shows one section; a link into
 * another section loads that section's page at the operation (`?section=…#anchor`), a link into
 * this one just scrolls. The query is in the URL (`q`) so a filtered view can be shared.
 */
export function ReferenceIndex({ sections, current, className }: { sections: IndexSection[]; current: string; className?: string }) {
  const url = useUrlState();
  const list = useRef<HTMLElement>(null);
  const router = useRouter();
  const query = url.get("q") ?? "";
  // Folded above the section on narrow screens; beside it from lg up, always shown.
  const [unfolded, setUnfolded] = useState(false);
  const total = sections.reduce((n, s) => n + s.operations.length, 0);
  const shown = sections
    .map((section) => ({ ...section, operations: section.operations.filter((op) => matchesFilter(op.searchText, query)) }))
    .filter((section) => section.operations.length > 0);
  const count = shown.reduce((n, s) => n + s.operations.length, 0);

  const hrefTo = (section: string, fragment: string) => (section === current ? `#${fragment}` : `${url.hrefWith({ section })}#${fragment}`);
  const { hrefWith } = url;

  // A link made before sections had pages of their own (`#v1.message.create`) still lands on its operation.
  useEffect(() => {
    const follow = () => {
      const fragment = decodeURIComponent(window.location.hash.slice(1));
      const section = fragment ? sectionOfFragment(sections, fragment) : null;
      if (section && section !== current) router.replace(`${hrefWith({ section })}#${fragment}`);
    };
    follow();
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, [sections, current, hrefWith, router]);

  // Beside the section (lg) the index scrolls on its own: bring the section being read into its view.
  useEffect(() => {
    const box = list.current;
    const heading = box?.querySelector("[aria-current=page]");
    if (box && heading && box.scrollHeight > box.clientHeight) box.scrollTop += heading.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
  }, [current]);

  return (
    <div className={cn("space-y-2", className)}>
      <div className="relative">
        <Search className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden />
        <Input
          type="search"
          aria-label="Filter operations"
          placeholder={`Filter ${total} operations`}
          className="pl-8"
          defaultValue={query}
          onChange={(e) => {
            url.set({ q: e.target.value });
            if (e.target.value) setUnfolded(true);
          }}
        />
      </div>
      <p className="px-1 text-xs text-muted-foreground" aria-live="polite">
        {query.trim() ? `${count} of ${total} operations` : `${total} operations`}
      </p>
      <button
        type="button"
        className="flex w-full items-center justify-between rounded-lg border px-3 py-2 text-sm font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring lg:hidden"
        aria-expanded={unfolded}
        aria-controls="api-reference-contents"
        onClick={() => setUnfolded((open) => !open)}
      >
        Contents
        <ChevronDown className={cn("size-4 transition-transform", unfolded && "rotate-180")} aria-hidden />
      </button>
      <nav
        ref={list}
        id="api-reference-contents"
        aria-label="API reference contents"
        className={cn(unfolded ? "block rounded-lg border p-2" : "hidden", "lg:block lg:min-h-0 lg:overflow-y-auto lg:border-0 lg:p-1 lg:pb-4")}
        onClick={(event) => {
          if ((event.target as HTMLElement).closest("a")) setUnfolded(false);
        }}
      >
        {count === 0 ? (
          <div className="space-y-1 rounded-lg border border-dashed p-4 text-center">
            <p className="text-sm font-medium">No operations match</p>
            <p className="text-xs text-muted-foreground">Try part of a path (endpoint, msg), a method (POST) or a word of the summary.</p>
          </div>
        ) : null}
        <ul className="space-y-4 text-sm">
          {shown.map((section) => (
            <li key={section.anchor}>
              <IndexLink
                href={hrefTo(section.anchor, section.anchor)}
                inPage={section.anchor === current}
                aria-current={section.anchor === current ? "page" : undefined}
                className={cn(linkClass, "block px-2 py-1 text-xs font-semibold tracking-wide text-muted-foreground uppercase hover:text-foreground aria-[current=page]:bg-accent aria-[current=page]:text-foreground")}
              >
                {section.tag}
              </IndexLink>
              <ul className="mt-1 space-y-0.5">
                {section.operations.map((op) => (
                  <li key={op.anchor}>
                    <IndexLink href={hrefTo(section.anchor, op.anchor)} inPage={section.anchor === current} className={cn(linkClass, "block px-2 py-1")} data-testid="index-operation">
                      <span className="flex items-start gap-2">
                        <span className={cn("mt-0.5 w-12 shrink-0 rounded px-1 text-center font-mono text-[10px] leading-4 font-semibold", METHOD_CLASS[op.method])}>{op.method}</span>
                        <span className="min-w-0">
                          <span className="block">{op.summary}</span>
                          <PathText path={op.path} className="block text-[11px] text-muted-foreground" />
                        </span>
                      </span>
                    </IndexLink>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}

/** A fragment of this page is a plain link (the browser scrolls); another section's page is a client navigation. */
function IndexLink({ href, inPage, ...props }: { href: string; inPage: boolean } & Omit<React.ComponentProps<"a">, "href">) {
  return inPage ? <a href={href} {...props} /> : <Link href={href} {...props} />;
}
