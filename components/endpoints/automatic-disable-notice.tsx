import { PowerOff } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Time } from "@/components/ui/time";
import type { AutomaticDisable } from "@/lib/endpoints/endpoints";

export const failuresLabel = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "failure" : "failures"}`;

/** On the endpoint's page while it stays disabled after HookRelay disabled it for failing. */
export function AutomaticDisableNotice({ disable, canManage }: { disable: AutomaticDisable; canManage: boolean }) {
  return (
    <Alert variant="warning" data-testid="automatic-disable-notice">
      <PowerOff aria-hidden />
      <AlertTitle className="line-clamp-none">
        Disabled automatically on <Time value={disable.at} mode="absolute" /> after {failuresLabel(disable.failures)}
      </AlertTitle>
      <AlertDescription>
        <p>
          Every attempt to deliver to it failed from <Time value={disable.failingSince} mode="absolute" /> on. It receives nothing until it is enabled
          again, and the messages it was still being retried for ended failed.
        </p>
        <p className="max-w-full">
          Last error: <span className="font-mono break-all text-foreground">{disable.lastError}</span>
        </p>
        <p>{canManage ? "Fix the receiver, then enable the endpoint and use Recover to resend what it missed." : "Owners and admins can enable it again."}</p>
      </AlertDescription>
    </Alert>
  );
}

/** The same, in a line or two, under the status badge of the endpoints list. */
export function AutomaticDisableSummary({ disable }: { disable: AutomaticDisable }) {
  return (
    <div className="mt-1 space-y-0.5 text-xs whitespace-normal text-muted-foreground" data-testid="automatic-disable-summary">
      <p>
        Disabled automatically on <Time value={disable.at} mode="absolute" /> after {failuresLabel(disable.failures)}
      </p>
      <p className="line-clamp-2 break-all" title={disable.lastError}>
        Last error: <span className="font-mono">{disable.lastError}</span>
      </p>
    </div>
  );
}
