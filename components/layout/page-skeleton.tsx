import { DataTableSkeleton } from "@/components/data-table/data-table";
import { Skeleton } from "@/components/ui/skeleton";

/** A page's loading state; `list` draws the shape of a data table instead of a block. */
export function PageSkeleton({ list = false }: { list?: boolean }) {
  return (
    <div role="status" className="space-y-4" aria-busy="true" aria-label="Loading">
      <Skeleton className="h-8 w-full max-w-64" />
      <Skeleton className="h-4 w-full max-w-96" />
      {list ? <DataTableSkeleton /> : <Skeleton className="h-40 w-full" />}
    </div>
  );
}
