import { Badge } from "@/components/ui/badge";

/** `paused`: enabled, but the organization's webhooks are off, so it is not shown as healthy green. */
export function EndpointStatusBadge({ disabled, paused = false }: { disabled: boolean; paused?: boolean }) {
  return (
    <Badge variant={disabled ? "secondary" : paused ? "outline" : "success"} data-testid="endpoint-status">
      {disabled ? "Disabled" : "Enabled"}
    </Badge>
  );
}
