"use client";

import Link from "next/link";
import { useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { changePasswordAction, signOutEverywhereAction } from "@/app/(dashboard)/account/actions";
import { PASSWORD_HINT } from "@/components/members/accept-invite";
import { RoleBadge } from "@/components/members/members-panel";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import type { Role } from "@/lib/auth/roles";
import { passwordProblem } from "@/lib/auth/password-policy";
import { webhooksPath } from "@/lib/routes";
import { fieldErrorsByPath, type FieldErrors } from "@/lib/validations/field-errors";
import { changePasswordSchema } from "@/lib/validations/member";

export function AccountOrganizations({ organizations }: { organizations: { name: string; slug: string; role: Role }[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Your organizations</CardTitle>
        <CardDescription>{organizations.length ? "Where you are a member, and your role there." : "You are not a member of any organization yet. Ask an owner to invite you."}</CardDescription>
      </CardHeader>
      {organizations.length ? (
        <CardContent>
          <ul className="divide-y">
            {organizations.map((o) => (
              <li key={o.slug} className="flex items-center justify-between gap-3 py-2">
                <Link href={webhooksPath(o.slug)} className="min-w-0 truncate rounded font-medium underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring">
                  {o.name}
                </Link>
                <RoleBadge role={o.role} />
              </li>
            ))}
          </ul>
        </CardContent>
      ) : null}
    </Card>
  );
}

const FIELDS = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "password", label: "New password", autoComplete: "new-password" },
  { name: "confirmPassword", label: "Confirm new password", autoComplete: "new-password" },
] as const;

export function ChangePasswordCard({ email, name }: { email: string; name: string | null }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const input = Object.fromEntries(FIELDS.map((f) => [f.name, data.get(f.name) ?? ""]));
    startTransition(async () => {
      const parsed = changePasswordSchema.safeParse(input);
      if (!parsed.success) return setErrors(fieldErrorsByPath(parsed.error));
      const problem = await passwordProblem(parsed.data.password, { email, name });
      if (problem) return setErrors({ password: [problem] });
      const result = await changePasswordAction(input);
      if (!result.ok) return setErrors(result.fieldErrors ?? { _form: [result.error] });
      setErrors({});
      form.current?.reset();
      toast.success("Password changed. Your other sessions were signed out.");
    });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Change password</CardTitle>
        <CardDescription>Every other browser and device signed in to your account is signed out; this one stays signed in.</CardDescription>
      </CardHeader>
      <CardContent>
        <form ref={form} onSubmit={submit} className="grid max-w-md gap-4" noValidate>
          {/* For password managers: which account the new password belongs to. */}
          <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
          {FIELDS.map((f) => (
            <div key={f.name} className="grid gap-2">
              <Label htmlFor={f.name}>{f.label}</Label>
              <Input
                id={f.name}
                name={f.name}
                type="password"
                autoComplete={f.autoComplete}
                aria-invalid={errors[f.name] ? true : undefined}
                aria-describedby={[errors[f.name] ? `${f.name}-error` : null, f.name === "password" ? "new-password-hint" : null].filter(Boolean).join(" ") || undefined}
              />
              {f.name === "password" ? (
                <p id="new-password-hint" className="text-xs text-muted-foreground">
                  {PASSWORD_HINT}
                </p>
              ) : null}
              <FieldError id={`${f.name}-error`} messages={errors[f.name]} />
            </div>
          ))}
          <FieldError id="change-password-form-error" messages={errors._form} />
          <div>
            <Button type="submit" disabled={pending}>
              {pending ? "Changing…" : "Change password"}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

export function SignOutEverywhereCard() {
  const [pending, startTransition] = useTransition();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign out everywhere</CardTitle>
        <CardDescription>Ends every session of your account, on every browser and device, this one included. Use it if you lost a device or signed in on a shared computer.</CardDescription>
      </CardHeader>
      <CardContent>
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button variant="outline">Sign out everywhere</Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Sign out everywhere?</AlertDialogTitle>
              <AlertDialogDescription>Every session ends, this one too: you will sign in again with your password.</AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction
                variant="destructive"
                disabled={pending}
                onClick={() =>
                  startTransition(async () => {
                    // Success redirects to the sign-in page.
                    const result = await signOutEverywhereAction({});
                    if (!result.ok) toast.error(result.error);
                  })
                }
              >
                Sign out everywhere
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      </CardContent>
    </Card>
  );
}
