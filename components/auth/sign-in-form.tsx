"use client";

import { useActionState } from "react";
import { signInAction } from "@/actions/auth";
import type { SignInState } from "@/lib/auth/wire";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** `email` prefills the address (the invite page's "Sign in to accept" knows it). */
export function SignInForm({ callbackUrl, email }: { callbackUrl: string; email?: string }) {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={formAction} className="grid gap-4" noValidate={false}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div className="grid gap-2">
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="username" required defaultValue={state.email ?? email} autoFocus={!email} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Password</Label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required autoFocus={!!email} />
      </div>
      {state.error ? (
        <p id="sign-in-error" data-testid="sign-in-error" className="text-sm font-medium text-destructive" aria-live="polite">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
