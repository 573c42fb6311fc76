import { Badge } from "@/components/ui/badge";

export function EndpointStatusBadge({ disabled }: { disabled: boolean }) {
  return (
    <Badge variant={disabled ? "secondary" : "success"} data-testid="endpoint-status">
      {disabled ? "Disabled" : "Enabled"}
    </Badge>
  );
}
