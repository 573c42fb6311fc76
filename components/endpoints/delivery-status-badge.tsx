import { Badge } from "@/components/ui/badge";
import type { DeliveryStatus } from "@/lib/generated/prisma/enums";

const LOOK: Record<DeliveryStatus, { label: string; variant: "success" | "destructive" | "warning" | "secondary" }> = {
  SUCCEEDED: { label: "Succeeded", variant: "success" },
  FAILED: { label: "Failed", variant: "destructive" },
  PENDING: { label: "Pending", variant: "warning" },
  SENDING: { label: "Sending", variant: "secondary" },
};

/** A delivery's state; a pending delivery that already failed once reads "Retrying". */
export function DeliveryStatusBadge({ status, attemptCount = 0 }: { status: DeliveryStatus; attemptCount?: number }) {
  const look = LOOK[status];
  return <Badge variant={look.variant}>{status === "PENDING" && attemptCount > 0 ? "Retrying" : look.label}</Badge>;
}
