import { ROLE_LABEL, type Role } from "@/lib/auth/roles";
import { sendMail, type MailOutcome } from "@/lib/mail/send";
import { formatAbsolute } from "@/lib/time";

/**
 * E-mails an invite link when a mail server is configured (`SMTP_URL`). The invite exists whether
 * or not the mail goes out: the owner always sees the link to copy, and this only reports whether
 * it was also sent. The link (a credential) is never logged, only the address.
 */

export type InviteMailOutcome = MailOutcome;

export async function sendInviteMail(invite: { to: string; url: string; organizationName: string; role: Role; invitedBy: string; expiresAt: Date }): Promise<InviteMailOutcome> {
  const role = ROLE_LABEL[invite.role];
  const expires = formatAbsolute(invite.expiresAt, { seconds: false });
  return sendMail(
    {
      to: invite.to,
      subject: `You are invited to ${invite.organizationName} on HookRelay`,
      text: [
        `${invite.invitedBy} invited you to join ${invite.organizationName} on HookRelay as ${role}.`,
        "",
        `Accept the invite: ${invite.url}`,
        "",
        `The link works once and expires on ${expires}. If you did not expect this invite, ignore this message.`,
      ].join("\n"),
    },
    "invite mail",
  );
}
