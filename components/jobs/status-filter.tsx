import Link from "next/link";
import { cn } from "@/lib/utils";
import { ExecutorRunStatus } from "@/lib/generated/prisma/enums";

export function StatusFilter({ current, href }: { current?: ExecutorRunStatus; href: (status?: ExecutorRunStatus) => string }) {
  const options: (ExecutorRunStatus | undefined)[] = [undefined, ...Object.values(ExecutorRunStatus)];
  return (
    <nav aria-label="Filter by status" className="flex flex-wrap gap-2 text-sm">
      {options.map((status) => (
        <Link
          key={status ?? "all"}
          href={href(status)}
          aria-current={status === current ? "page" : undefined}
          className={cn("rounded-md border px-2 py-1 hover:bg-accent", status === current && "bg-accent font-medium")}
        >
          {status ? status.toLowerCase() : "all"}
        </Link>
      ))}
    </nav>
  );
}
