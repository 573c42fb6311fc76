import nodemailer from "nodemailer";
import { env } from "@/lib/env";
import { errorFields, loggerFor } from "@/lib/observability/log";

/**
 * Sends one plain-text e-mail when a mail server is configured (`SMTP_URL`), from `SMTP_FROM`.
 * Mail is a courtesy next to a change already made: a failure is logged (as `<label> failed`,
 * with the address and the server's answer) and reported, never thrown. Bounded timeouts keep a
 * dead mail server from holding the caller.
 */

export type MailOutcome = "sent" | "failed" | "not_configured";

const TIMEOUT_MS = 10_000;

export async function sendMail(mail: { to: string; subject: string; text: string }, label: string): Promise<MailOutcome> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!SMTP_URL) return "not_configured";
  const transport = nodemailer.createTransport(SMTP_URL, { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS });
  try {
    await transport.sendMail({ from: SMTP_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    return "sent";
  } catch (error) {
    loggerFor("[mail]").error({ to: mail.to, ...errorFields(error) }, `${label} failed`);
    return "failed";
  } finally {
    transport.close();
  }
}
