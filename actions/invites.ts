"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { signIn, signOut } from "@/auth";
import { defineAction, fail, signedIn, type ActionResult } from "@/lib/actions/define-action";
import { hashPassword } from "@/lib/auth/credentials";
import { passwordProblem } from "@/lib/auth/password-policy";
import { acceptInvite, findInvite, invitePath } from "@/lib/members/invites";
import { webhooksPath } from "@/lib/routes";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";
import { acceptInviteNewAccountSchema, acceptInviteSchema, inviteTokenSchema } from "@/lib/validations/member";

/**
 * A new person accepts an invite: the account is created with their name and password, the
 * membership with the invite's role, and they are signed in and sent to the organization's
 * webhooks. Like signing in (actions/auth.ts), it is outside `defineAction`: the caller has no
 * session yet; the invite token is what authorizes it.
 */
export async function acceptInviteNewAccountAction(raw: unknown): Promise<ActionResult<never>> {
  const parsed = acceptInviteNewAccountSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, code: "invalid_input", error: parsed.error.issues[0]?.message ?? "Check your input", fieldErrors: fieldErrorsByPath(parsed.error) };
  const { token, name, password } = parsed.data;
  const lookup = await findInvite(token);
  if (!lookup.ok) return { ok: false, code: lookup.code, error: lookup.message };
  const problem = await passwordProblem(password, { email: lookup.invite.email, name });
  if (problem) return { ok: false, code: "weak_password", error: problem, fieldErrors: { password: [problem] } };
  const result = await acceptInvite(token, { kind: "new", name, passwordHash: await hashPassword(password) });
  if (!result.ok) return { ok: false, code: result.code, error: result.message };
  try {
    await signIn("credentials", { email: result.user.email, password, redirect: false });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    return { ok: false, code: "sign_in_failed", error: `Your account was created and you joined ${result.organization.name}, but signing in failed. Sign in with ${result.user.email} and your new password.` };
  }
  redirect(webhooksPath(result.organization.slug));
}

/** The signed-in user accepts an invite addressed to their own e-mail address. */
export const acceptInviteAction = defineAction({
  input: acceptInviteSchema,
  access: signedIn(),
  run: async ({ token }, { user }) => {
    const result = await acceptInvite(token, { kind: "user", user });
    if (!result.ok) return fail(result.code, result.message);
    return { href: webhooksPath(result.organization.slug), organization: result.organization.name };
  },
});

/** Signed in as another address: sign out and come back to the invite through the sign-in page. */
export async function signOutForInviteAction(token: unknown): Promise<void> {
  const parsed = inviteTokenSchema.safeParse(token);
  const back = parsed.success ? invitePath(parsed.data) : "/";
  await signOut({ redirectTo: `/sign-in?callbackUrl=${encodeURIComponent(back)}` });
}
