import { SYSTEM_ACTOR, recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { formatDurationLabel } from "@/lib/delivery/duration";
import { stopDeliveries } from "@/lib/endpoints/endpoints";
import type { EndpointId } from "@/lib/ids";
import { sendMail } from "@/lib/mail/send";
import { publishEndpointEvent } from "@/lib/operational/publish";
import { endpointPath } from "@/lib/routes";
import { formatAbsolute } from "@/lib/time";

/**
 * Endpoints that fail for too long disable themselves, as Svix's do: once every attempt since
 * `failingSince` has failed for ENDPOINT_FAILURE_DISABLE_AFTER (5 days by default), the next failed
 * attempt disables the endpoint. The delivery store keeps `failingSince` in the statement that
 * records the attempts and answers which endpoints are due (lib/delivery/store); this module is
 * the disable itself, the same domain path as a person's: pending deliveries end failed
 * (recoverable later) and their runs are cancelled in the same transaction, with an audit entry by
 * HookRelay and the operational event `endpoint.disabled` (trigger automatic). After the commit, the organization's owners and admins are e-mailed when SMTP_URL is
 * set. Enabling the endpoint again clears all of it (`setEndpointDisabled`).
 */

export interface AutoDisabled {
  endpointId: EndpointId;
  organizationId: string;
  failingSince: Date;
  failures: number;
  lastError: string;
  at: Date;
}

interface Candidate {
  organizationId: string;
  uid: string | null;
  url: string;
  failingSince: Date | null;
  disabled: boolean;
  deletedAt: Date | null;
}

/**
 * Disables the endpoint if it is still enabled and still failing since `cutoff` or earlier (a
 * success or a person may have come first). Null when nothing was done.
 */
export async function disableFailingEndpoint(endpointId: EndpointId, { cutoff, lastError, now = new Date() }: { cutoff: Date; lastError: string; now?: Date }): Promise<AutoDisabled | null> {
  const disabled = await db.$transaction(async (tx) => {
    // Locked (as an update would: attempts' foreign-key checks still pass) so that a concurrent batch
    // that found the same endpoint due, or a person's switch, waits and then finds it disabled.
    const [row] = await tx.$queryRaw<Candidate[]>`
      SELECT "organizationId", uid, url, "failingSince", disabled, "deletedAt" FROM "Endpoint" WHERE id = ${endpointId} FOR NO KEY UPDATE`;
    if (!row || row.disabled || row.deletedAt || !row.failingSince || row.failingSince > cutoff) return null;
    const failingSince = row.failingSince;
    const failures = await tx.attempt.count({ where: { endpointId, succeeded: false, startedAt: { gte: failingSince } } });
    await tx.endpoint.update({ where: { id: endpointId }, data: { disabled: true, autoDisabledAt: now, autoDisabledFailures: failures, autoDisabledError: lastError } });
    await stopDeliveries(tx, "disabled", { organizationId: row.organizationId, endpointId });
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "endpoint.disabled_automatically",
      organizationId: row.organizationId,
      endpointId,
      changes: { failingSince: failingSince.toISOString(), failedAttempts: failures, lastError },
    });
    await publishEndpointEvent(tx, row.organizationId, { id: endpointId, uid: row.uid }, { type: "endpoint.disabled", failSince: failingSince, trigger: "automatic" }, now);
    return { endpointId, organizationId: row.organizationId, url: row.url, failingSince, failures, lastError, at: now };
  });
  if (!disabled) return null;
  const { url, ...result } = disabled;
  await mailManagers(result, url);
  return result;
}

/** One mail per owner and admin (no member sees another's address). Viewers cannot enable it again, so they are not told. */
async function mailManagers(disabled: AutoDisabled, url: string) {
  const organization = await db.organization.findUnique({
    where: { id: disabled.organizationId },
    select: { name: true, slug: true, memberships: { where: { role: { in: ["OWNER", "ADMIN"] } }, select: { user: { select: { email: true } } } } },
  });
  if (!organization) return;
  const failingFor = formatDurationLabel(Math.max(0, Math.round((disabled.at.getTime() - disabled.failingSince.getTime()) / 1_000) * 1_000));
  const text = [
    `HookRelay disabled a webhook endpoint of ${organization.name} on ${formatAbsolute(disabled.at)}: every attempt to deliver to it had failed for ${failingFor}, since ${formatAbsolute(disabled.failingSince)} (${disabled.failures} failed attempts).`,
    "",
    `Endpoint: ${url} (${disabled.endpointId})`,
    `Last error: ${disabled.lastError}`,
    "",
    "It receives nothing until it is enabled again; the messages still being retried ended failed and can be resent.",
    `Once the receiver works again, enable the endpoint (${endpointPath(organization.slug, disabled.endpointId)} in HookRelay), then use Recover to resend what it missed.`,
  ].join("\n");
  for (const { user } of organization.memberships) {
    await sendMail({ to: user.email, subject: `Webhook endpoint disabled: ${url}`, text }, "endpoint disabled mail");
  }
}
