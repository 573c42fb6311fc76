"use client";

import { Eye, EyeOff } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { revealEndpointHeadersAction } from "@/actions/endpoints";
import { Button } from "@/components/ui/button";
import { isSensitiveHeader, type NamedValue } from "@/lib/headers-mask";

/**
 * An endpoint's custom headers as the page received them: sensitive values already masked on the
 * server. Owners and admins may fetch the values in clear on demand (a server action checks the role).
 */
export function CustomHeadersList({ org, endpointId, headers, canReveal }: { org: string; endpointId: string; headers: NamedValue[]; canReveal: boolean }) {
  const [revealed, setRevealed] = useState<NamedValue[] | null>(null);
  const [pending, startTransition] = useTransition();
  const shown = revealed ?? headers;
  const anySensitive = headers.some((h) => isSensitiveHeader(h.name));

  function toggle() {
    if (revealed) return setRevealed(null);
    startTransition(async () => {
      const result = await revealEndpointHeadersAction({ org, endpointId });
      if (!result.ok) toast.error(result.error);
      else setRevealed(result.data.headers);
    });
  }

  return (
    <div className="space-y-2">
      <ul className="space-y-1 font-mono" data-testid="endpoint-headers">
        {shown.map((h) => (
          <li key={h.name} className="break-all">
            {h.name}: {h.value}
          </li>
        ))}
      </ul>
      {anySensitive && canReveal ? (
        <Button type="button" variant="outline" size="sm" onClick={toggle} disabled={pending} aria-pressed={revealed !== null}>
          {revealed ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
          {revealed ? "Hide header values" : "Reveal header values"}
        </Button>
      ) : null}
    </div>
  );
}
