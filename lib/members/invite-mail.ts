import nodemailer from "nodemailer";
import { ROLE_LABEL, type Role } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { formatAbsolute } from "@/lib/time";

/**
 * E-mails an invite link when a mail server is configured (`SMTP_URL`). The invite exists whether
 * or not the mail goes out: the owner always sees the link to copy, and this only reports whether
 * it was also sent. Bounded timeouts keep a dead mail server from holding the owner's request.
 */

export type InviteMailOutcome = "sent" | "failed" | "not_configured";

const TIMEOUT_MS = 10_000;

export async function sendInviteMail(invite: { to: string; url: string; organizationName: string; role: Role; invitedBy: string; expiresAt: Date }): Promise<InviteMailOutcome> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!SMTP_URL) return "not_configured";
  const transport = nodemailer.createTransport(SMTP_URL, { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS });
  const role = ROLE_LABEL[invite.role];
  const expires = formatAbsolute(invite.expiresAt, { seconds: false });
  try {
    await transport.sendMail({
      from: SMTP_FROM,
      to: invite.to,
      subject: `You are invited to ${invite.organizationName} on HookRelay`,
      text: [
        `${invite.invitedBy} invited you to join ${invite.organizationName} on HookRelay as ${role}.`,
        "",
        `Accept the invite: ${invite.url}`,
        "",
        `The link works once and expires on ${expires}. If you did not expect this invite, ignore this message.`,
      ].join("\n"),
    });
    return "sent";
  } catch (error) {
    // The address and the server's answer help the operator; the link (a credential) is not logged.
    console.error("invite mail failed", { to: invite.to, error: error instanceof Error ? error.message : String(error) });
    return "failed";
  } finally {
    transport.close();
  }
}
