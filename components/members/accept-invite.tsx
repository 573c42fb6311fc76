"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { acceptInviteAction, acceptInviteNewAccountAction, signOutForInviteAction } from "@/actions/invites";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import { useActionForm } from "@/components/ui/use-action-form";
import { PASSWORD_MIN_LENGTH, passwordProblem } from "@/lib/auth/password-policy";
import { acceptInviteNewAccountSchema } from "@/lib/validations/member";

type NewAccountInput = { token: string; name: string; password: string; confirmPassword: string };

export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters and hard to guess: a few unrelated words work well.`;

/** A new person: name and password create the account; the action signs them in and opens the organization. */
export function NewAccountForm({ token, email }: { token: string; email: string }) {
  // The account exists once sign-in alone failed: submitting again could only fail (the invite is used).
  const [created, setCreated] = useState(false);
  // Success redirects (signed in, to the organization's webhooks); only a failure comes back.
  const form = useActionForm(async (input: NewAccountInput) => {
    const result = await acceptInviteNewAccountAction(input);
    if (!result.ok && result.code === "sign_in_failed") setCreated(true);
    return result;
  }, {
    schema: acceptInviteNewAccountSchema,
    // The strength check loads its word lists only now, on the first submit.
    check: async (input: NewAccountInput) => {
      const problem = await passwordProblem(input.password, { email, name: input.name.trim() });
      return problem ? { password: [problem] } : null;
    },
  });
  const errors = form.errors;

  const read = (element: HTMLFormElement): NewAccountInput => {
    const data = new FormData(element);
    const text = (key: string) => String(data.get(key) ?? "");
    return { token, name: text("name"), password: text("password"), confirmPassword: text("confirmPassword") };
  };

  if (created) {
    return (
      <div className="grid gap-4" data-testid="account-created">
        <p className="text-sm" role="status">
          {errors._form?.[0]}
        </p>
        <Button asChild>
          <Link href="/sign-in">Sign in</Link>
        </Button>
      </div>
    );
  }

  return (
    <form onSubmit={form.handleSubmit(read)} className="grid gap-4" noValidate>
      <div className="grid gap-2">
        <Label htmlFor="invite-account-email">Email</Label>
        <Input id="invite-account-email" name="email" type="email" autoComplete="username" value={email} readOnly className="bg-muted" />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="name">Your name</Label>
        <Input id="name" name="name" autoComplete="name" required autoFocus {...form.ariaFor("name")} />
        <FieldError id="name-error" messages={errors.name} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          {...form.ariaFor("password", { hint: "password-hint" })}
        />
        <p id="password-hint" className="text-xs text-muted-foreground">
          {PASSWORD_HINT}
        </p>
        <FieldError id="password-error" messages={errors.password} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="confirmPassword">Confirm password</Label>
        <Input
          id="confirmPassword"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          {...form.ariaFor("confirmPassword")}
        />
        <FieldError id="confirmPassword-error" messages={errors.confirmPassword} />
      </div>
      <FieldError id="form-error" messages={errors._form ?? errors.token} />
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}

/** The signed-in user the invite is addressed to. */
export function AcceptInviteButton({ token, organizationName }: { token: string; organizationName: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  return (
    <div className="grid gap-3">
      <Button
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await acceptInviteAction({ token });
            if (result.ok) router.push(result.data.href);
            else setError(result.error);
          })
        }
      >
        {pending ? "Joining…" : `Accept and open ${organizationName}`}
      </Button>
      {error ? (
        <p className="text-sm text-destructive" data-testid="accept-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Signed in as another address: sign out, then sign in as the invited one and come back here. */
export function SignOutForInvite({ token, label }: { token: string; label: string }) {
  return (
    <form action={() => signOutForInviteAction(token)}>
      <Button type="submit" variant="outline" className="w-full">
        {label}
      </Button>
    </form>
  );
}
