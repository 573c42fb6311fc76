"use server";

import { AuthError } from "next-auth";
import { signIn, signOut } from "@/auth";
import { safeCallbackPath } from "@/lib/auth/public-paths";
import { SIGN_IN_LIMIT, SIGN_IN_WINDOW_MS } from "@/lib/auth/credentials";
import type { SignInState } from "@/lib/auth/wire";
import { signInSchema } from "@/lib/validations/auth";

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    callbackUrl: formData.get("callbackUrl") ?? undefined,
  });
  const email = String(formData.get("email") ?? "");
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check your input", email };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallbackPath(parsed.data.callbackUrl),
    });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === "too_many_attempts") {
        return {
          error: `Too many failed sign-ins (${SIGN_IN_LIMIT} in ${SIGN_IN_WINDOW_MS / 60000} minutes). Wait a few minutes and try again.`,
          email,
        };
      }
      return { error: "Wrong email or password.", email };
    }
    // signIn redirects by throwing; let Next handle it.
    throw error;
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
