import { PowerOff } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Time } from "@/components/ui/time";
import type { AutomaticDisable } from "@/lib/endpoints/endpoints";

export const failuresLabel = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "failure" : "failures"}`;

/** On the endpoint's page while it stays disabled after HookRelay disabled it for failing. */
export function AutomaticDisableNotice({
  disable,
  canManage,
  advice = "Fix the receiver, then enable the endpoint and use Recover to resend what it missed.",
}: {
  disable: AutomaticDisable;
  canManage: boolean;
  /** What to do next, for those who can. */
  advice?: string;
}) {
  return (
    <Alert variant="warning" data-testid="automatic-disable-notice">
      <PowerOff aria-hidden />
      <AlertTitle className="line-clamp-none">
        Disabled automatically on <Time value={disable.at} mode="absolute" /> after {failuresLabel(disable.failures)}
      </AlertTitle>
      <AlertDescription>
        <p>
          Every attempt to deliver to it since <Time value={disable.failingSince} mode="absolute" /> failed. It receives nothing until it is enabled
          again, and the messages still being retried to it ended failed.
        </p>
        <p className="max-w-full">
          Last error: <span className="font-mono break-words text-foreground">{disable.lastError}</span>
        </p>
        <p>{canManage ? advice : "Owners and admins can enable it again."}</p>
      </AlertDescription>
    </Alert>
  );
}

/**
 * The same in a list row: in full under the URL from `sm` up (`full`, it takes no width of its
 * own), and on phones the count and how long ago under the status badge (`short`), so the row
 * keeps its other columns. The endpoint's page has it all.
 */
export function AutomaticDisableSummary({ disable, variant }: { disable: AutomaticDisable; variant: "full" | "short" }) {
  if (variant === "short") {
    return (
      <p className="mt-1 w-20 text-xs whitespace-normal text-muted-foreground sm:hidden" data-testid="automatic-disable-summary-short">
        Automatically, after {failuresLabel(disable.failures)}, <Time value={disable.at} />
      </p>
    );
  }
  return (
    <div className="mt-1 hidden space-y-0.5 text-xs whitespace-normal text-muted-foreground sm:block" data-testid="automatic-disable-summary">
      <p>
        Disabled automatically on <Time value={disable.at} mode="absolute" /> after {failuresLabel(disable.failures)}
      </p>
      <p className="line-clamp-2 break-words" title={disable.lastError}>
        Last error: {disable.lastError}
      </p>
    </div>
  );
}
