"use client";

import Link from "next/link";
import { useRef } from "react";
import { toast } from "sonner";
import { changePasswordAction, signOutEverywhereAction } from "@/actions/account";
import { PASSWORD_HINT } from "@/components/members/accept-invite";
import { RoleBadge } from "@/components/members/members-panel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import { useActionForm } from "@/components/ui/use-action-form";
import type { Role } from "@/lib/auth/roles";
import { passwordProblem } from "@/lib/auth/password-policy";
import { webhooksPath } from "@/lib/routes";
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
type FieldName = (typeof FIELDS)[number]["name"];

export function ChangePasswordCard({ email, name }: { email: string; name: string | null }) {
  const formElement = useRef<HTMLFormElement>(null);
  const form = useActionForm(changePasswordAction, {
    schema: changePasswordSchema,
    // The strength check loads its word lists only now, on the first submit.
    check: async (input: Record<FieldName, string>) => {
      const problem = await passwordProblem(input.password, { email, name });
      return problem ? { password: [problem] } : null;
    },
    onSuccess: () => {
      formElement.current?.reset();
      toast.success("Password changed. Your other sessions were signed out.");
    },
  });

  const read = (element: HTMLFormElement) => {
    const data = new FormData(element);
    return Object.fromEntries(FIELDS.map((f) => [f.name, String(data.get(f.name) ?? "")])) as Record<FieldName, string>;
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Change password</CardTitle>
        <CardDescription>Every other browser and device signed in to your account is signed out; this one stays signed in.</CardDescription>
      </CardHeader>
      <CardContent>
        <form ref={formElement} onSubmit={form.handleSubmit(read)} className="grid max-w-md gap-4" noValidate>
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
                {...form.ariaFor(f.name, { hint: f.name === "password" ? "new-password-hint" : undefined })}
              />
              {f.name === "password" ? (
                <p id="new-password-hint" className="text-xs text-muted-foreground">
                  {PASSWORD_HINT}
                </p>
              ) : null}
              <FieldError id={`${f.name}-error`} messages={form.errors[f.name]} />
            </div>
          ))}
          <FieldError id="change-password-form-error" messages={form.errors._form} />
          <div>
            <Button type="submit" disabled={form.pending}>
              {form.pending ? "Changing…" : "Change password"}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

export function SignOutEverywhereCard() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign out everywhere</CardTitle>
        <CardDescription>Ends every session of your account, on every browser and device, this one included. Use it if you lost a device or signed in on a shared computer.</CardDescription>
      </CardHeader>
      <CardContent>
        {/* Success redirects to the sign-in page, so only a failure comes back (shown in the dialog). */}
        <ConfirmAction
          trigger={<Button variant="outline">Sign out everywhere</Button>}
          title="Sign out everywhere?"
          description="Every session ends, this one too: you will sign in again with your password."
          confirmLabel="Sign out everywhere"
          pendingLabel="Signing out…"
          variant="destructive"
          action={() => signOutEverywhereAction({})}
        />
      </CardContent>
    </Card>
  );
}
