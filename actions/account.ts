"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { signIn, signOut } from "@/auth";
import { defineAction, fail, signedIn } from "@/lib/actions/define-action";
import { changePassword, endAllSessions } from "@/lib/auth/account";
import { clientIp } from "@/lib/auth/client-ip";
import { changePasswordSchema } from "@/lib/validations/member";

/**
 * A new password ends every session signed in before it; this browser is signed in again with
 * the new password, so it gets a session with a fresh sign-in time and stays signed in.
 */
export const changePasswordAction = defineAction({
  input: changePasswordSchema,
  access: signedIn(),
  run: async (input, { user }) => {
    const request = await headers();
    const result = await changePassword(user, input, { ip: clientIp(request), userAgent: request.get("user-agent") });
    if (!result.ok) return fail(result.code, result.message, { [result.field]: [result.message] });
    try {
      await signIn("credentials", { email: user.email, password: input.password, redirect: false });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return fail("sign_in_failed", "Your password was changed and your other sessions ended, but signing this browser in again failed. Sign in with your new password.");
    }
    return { changed: true };
  },
});

/** Ends every session of the user, this one included, and goes to the sign-in page. */
export const signOutEverywhereAction = defineAction({
  input: z.object({}),
  access: signedIn(),
  run: async (_input, { user }) => {
    await endAllSessions(user.id);
    await signOut({ redirectTo: "/sign-in" });
    return { signedOut: true };
  },
});
