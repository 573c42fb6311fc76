import { Badge } from "@/components/ui/badge";
import type { DeliveryStatus } from "@/lib/generated/prisma/enums";

const LOOK: Record<Exclude<DeliveryStatus, "PENDING">, { label: string; variant: "success" | "destructive" | "secondary" }> = {
  SUCCEEDED: { label: "Succeeded", variant: "success" },
  FAILED: { label: "Failed", variant: "destructive" },
  SENDING: { label: "Sending", variant: "secondary" },
};

/**
 * A delivery's state, the same words everywhere: a pending delivery reads "Waiting" until its first
 * attempt ("Scheduled" while its message's `deliverAt` is ahead), "Retrying" after.
 */
export function DeliveryStatusBadge({ status, attemptCount = 0, scheduled = false }: { status: DeliveryStatus; attemptCount?: number; scheduled?: boolean }) {
  if (status === "PENDING") {
    if (attemptCount > 0) return <Badge variant="warning">Retrying</Badge>;
    return scheduled ? <Badge variant="outline">Scheduled</Badge> : <Badge variant="secondary">Waiting</Badge>;
  }
  const look = LOOK[status];
  return <Badge variant={look.variant}>{look.label}</Badge>;
}
