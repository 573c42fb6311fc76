import { Badge } from "@/components/ui/badge";
import type { ExecutorRunStatus } from "@/lib/generated/prisma/enums";

const VARIANT: Record<ExecutorRunStatus, "default" | "secondary" | "destructive" | "outline" | "success" | "warning"> = {
  QUEUED: "outline",
  RUNNING: "default",
  SLEEPING: "secondary",
  COMPLETED: "success",
  FAILED: "destructive",
  CANCELLED: "warning",
};

export function RunStatusBadge({ status }: { status: ExecutorRunStatus }) {
  return <Badge variant={VARIANT[status]}>{status.toLowerCase()}</Badge>;
}
