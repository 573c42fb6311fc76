/** Every audited action, with the label the Activity tab shows. */
export const AUDIT_ACTIONS = {
  "endpoint.created": "Endpoint created",
  "endpoint.updated": "Configuration changed",
  "endpoint.secret_rotated": "Signing secret rotated",
  "endpoint.secret_revealed": "Signing secret revealed",
  "endpoint.headers_revealed": "Custom header values revealed",
  "endpoint.disabled": "Endpoint disabled",
  "endpoint.disabled_automatically": "Endpoint disabled automatically",
  "endpoint.enabled": "Endpoint enabled",
  "endpoint.deleted": "Endpoint deleted",
  "message.resent": "Message resent",
  "message.content_expunged": "Message content expunged",
  "attempt.response_expunged": "Attempt response expunged",
  "recovery.resend_failed": "Failed messages resent",
  "recovery.replay_missing": "Missing messages replayed",
  "recovery.bulk_resend": "Messages resent in bulk",
  "recovery.cancelled": "Recovery cancelled",
  "organization.created": "Organization created",
  "organization.updated": "Organization changed",
  "organization.deleted": "Organization deleted",
  "organization.disabled": "Organization disabled",
  "organization.enabled": "Organization enabled",
  "member.invited": "Member invited",
  "member.invite_revoked": "Invite revoked",
  "member.joined": "Member joined",
  "member.role_changed": "Member role changed",
  "member.removed": "Member removed",
  "portal.access_created": "Portal link created",
  "portal.sessions_revoked": "Portal sessions revoked",
  "portal.origins_changed": "Portal origins changed",
  "event_type.created": "Event type created",
  "event_type.updated": "Event type changed",
  "event_type.archived": "Event type archived",
  "event_type.unarchived": "Event type restored",
  "portal.logged_out": "Portal session signed out",
  "account.password_changed": "Password changed",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function auditLabel(action: string): string {
  return action in AUDIT_ACTIONS ? AUDIT_ACTIONS[action as AuditAction] : action;
}
