"use client";

import { Eye, EyeOff, RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { revealEndpointSecretAction, rotateEndpointSecretAction } from "@/actions/endpoints";
import { revealOperatorEndpointSecretAction, rotateOperatorEndpointSecretAction } from "@/actions/operational-webhooks";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Time } from "@/components/ui/time";
import { CopyButton } from "@/components/ui/copy-button";
import { formatAbsolute } from "@/lib/time";

const MASK = "whsec_" + "•".repeat(32);

/** An organization's endpoint, or an operator endpoint (Platform → Operational webhooks, staff only). */
export type SecretOwner = { org: string; endpointId: string } | { operatorEndpointId: string };

const revealAction = (owner: SecretOwner) =>
  "org" in owner ? revealEndpointSecretAction(owner) : revealOperatorEndpointSecretAction({ endpointId: owner.operatorEndpointId });
const rotateAction = (owner: SecretOwner) =>
  "org" in owner ? rotateEndpointSecretAction(owner) : rotateOperatorEndpointSecretAction({ endpointId: owner.operatorEndpointId });

/**
 * The secret never reaches the page until an owner or admin asks: reveal and copy fetch it through
 * a server action (audited). Viewers see that a secret exists, nothing more.
 */
export function SigningSecretCard({ owner, canManage, previousValidUntil }: { owner: SecretOwner; canManage: boolean; previousValidUntil: string | null }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  async function fetchSecret(): Promise<string | null> {
    if (secret) return secret;
    const result = await revealAction(owner);
    if (!result.ok) {
      toast.error(result.error);
      return null;
    }
    return result.data.secret;
  }

  function reveal() {
    if (secret) return setSecret(null);
    startTransition(async () => setSecret(await fetchSecret()));
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Signing secret</CardTitle>
        <CardDescription>Verify that requests come from HookRelay: every request carries webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks).</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        <div className="flex flex-wrap items-center gap-2">
          <code className="rounded bg-muted px-2 py-1 text-sm break-all" data-testid="signing-secret">
            {secret ?? MASK}
          </code>
          {canManage ? (
            <>
              <Button type="button" variant="outline" size="sm" onClick={reveal} disabled={pending} aria-pressed={secret !== null}>
                {secret ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
                {secret ? "Hide" : "Reveal"}
              </Button>
              <CopyButton value={fetchSecret} label="Copy secret" />
              <ConfirmAction
                trigger={
                  <Button type="button" variant="outline" size="sm" disabled={pending}>
                    <RefreshCw aria-hidden /> Rotate
                  </Button>
                }
                title="Rotate the signing secret?"
                description="A new secret is created now. For the next 24 hours requests are signed with both the new and the previous secret, so you can update your receiver without rejecting anything; after that only the new one signs."
                confirmLabel="Rotate secret"
                pendingLabel="Rotating…"
                action={() => rotateAction(owner)}
                onSuccess={(data) => {
                  setSecret(null);
                  toast.success(`Secret rotated. The previous one keeps signing until ${formatAbsolute(data.previousExpiresAt, { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, seconds: false })}.`);
                  router.refresh();
                }}
              />
            </>
          ) : (
            <p className="text-sm text-muted-foreground">Only owners and admins can reveal or rotate the secret.</p>
          )}
        </div>
        {previousValidUntil ? (
          <p className="text-sm text-muted-foreground" data-testid="rotation-notice">
            Rotation in progress: the previous secret also signs until <Time value={previousValidUntil} mode="absolute" />.
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
