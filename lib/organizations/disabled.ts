/**
 * The disabled-organization rule. Staff disable an organization (`setOrganizationDisabled`); until
 * they enable it again its organization API keys are refused, its portal links do not open, its
 * members cannot resend or recover messages, nobody can be invited into it or accept an invite to
 * it, and its deliveries wait without being attempted, resuming on enable. Its members still see the dashboard, under a banner. Every check asks
 * `isOrganizationDisabled`, except the delivery hot path, which reads `disabledAt` in its own SQL
 * (lib/delivery/perform.ts).
 */

/** The code of every refusal, except a platform key's request for a portal link (403 `forbidden`: the key itself is fine). */
export const ORGANIZATION_DISABLED = "organization_disabled";

export function isOrganizationDisabled(organization: { disabledAt: Date | null }): boolean {
  return organization.disabledAt !== null;
}

/** What each audience is told when the rule refuses it. */
export const organizationDisabledMessage = {
  /** An organization API key, on every call (403); platform keys still manage the organization. */
  apiKey: "This organization is disabled by the platform's staff: its API keys are refused until it is enabled again. Its webhooks wait meanwhile.",
  /** A platform key asking for a portal link (403 `forbidden`). */
  portalLinkRequest: "This organization is disabled by the platform's staff: its portal links do not open. Enable it first.",
  /** A visitor opening a portal link (403). */
  portalVisitor: "This organization is disabled by the platform's staff, so its portal links do not open.",
  /** A member (or portal visitor) resending or recovering messages from the dashboard. */
  dashboard: "This organization is disabled by the platform's staff: its webhooks are paused, resends included, until it is enabled again.",
  /** An owner (or staff, inviting an owner) creating an invite. */
  invite: (name: string) => `${name} is disabled by the platform's staff: nobody can be invited into it until it is enabled again.`,
  /** The person holding an invite link; pending invites work again if it is enabled before they expire. */
  invitee: (name: string) =>
    `${name} is disabled by the platform's staff, so this invite cannot be accepted now. The link works again if the organization is enabled before the invite expires.`,
} as const;
