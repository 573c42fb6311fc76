"use client";

import Link from "next/link";
import { useUrlState } from "@/components/data-table/use-url-state";
import { ExecutorRunStatus } from "@/lib/generated/prisma/enums";
import { cn } from "@/lib/utils";

export function StatusFilter() {
  const url = useUrlState();
  const current = url.get("status") ?? undefined;
  const options: (ExecutorRunStatus | undefined)[] = [undefined, ...Object.values(ExecutorRunStatus)];
  return (
    <nav aria-label="Filter by status" className="flex flex-wrap gap-2 text-sm">
      {options.map((status) => (
        <Link
          key={status ?? "all"}
          // A new filter starts from the first page and closes the open run.
          href={url.hrefWith({ status, run: null })}
          aria-current={status === current ? "page" : undefined}
          className={cn("rounded-md border px-2 py-1 hover:bg-accent", status === current && "bg-accent font-medium")}
        >
          {status ? status.toLowerCase() : "all"}
        </Link>
      ))}
    </nav>
  );
}
