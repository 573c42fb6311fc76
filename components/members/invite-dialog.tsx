"use client";

import { UserPlus } from "lucide-react";
import { useState } from "react";
import { createInviteAction } from "@/actions/members";
import { ROLE_DESCRIPTION, RoleSelect } from "@/components/members/role-select";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Time } from "@/components/ui/time";
import { CopyButton } from "@/components/ui/copy-button";
import { FieldError } from "@/components/ui/field-error";
import { useActionForm } from "@/components/ui/use-action-form";
import { ROLE_LABEL, type Role } from "@/lib/auth/roles";
import { createInviteSchema } from "@/lib/validations/member";

type Created = { url: string; email: string; role: Role; expiresAt: Date; mail: "sent" | "failed" | "not_configured" };

const MAIL_NOTE: Record<Created["mail"], { text: string; warn: boolean }> = {
  sent: { text: "It was also e-mailed to them.", warn: false },
  failed: { text: "Sending the e-mail failed (the server log says why), so nothing reached them: copy the link and send it yourself.", warn: true },
  not_configured: { text: "No mail server is configured (SMTP_URL), so nothing was e-mailed: copy the link and send it to them yourself.", warn: false },
};

export function InviteDialog({ org, organizationName }: { org: string; organizationName: string }) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("ADMIN");
  const [created, setCreated] = useState<Created | null>(null);
  const form = useActionForm(createInviteAction, { schema: createInviteSchema, onSuccess: (data) => setCreated(data) });

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setEmail("");
      setRole("ADMIN");
      form.clearErrors();
      setCreated(null);
    }
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button>
          <UserPlus className="size-4" aria-hidden /> Invite member
        </Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Invite link for {created.email}</DialogTitle>
              <DialogDescription>
                Send this link to {created.email}. It makes them {ROLE_LABEL[created.role].toLowerCase()} of {organizationName}, works once, and expires{" "}
                <Time value={created.expiresAt} mode="absolute" />. This is the only time it is shown.
              </DialogDescription>
            </DialogHeader>
            <div className="flex min-w-0 items-center gap-2">
              <Input readOnly value={created.url} aria-label="Invite link" data-testid="invite-link" className="min-w-0 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={created.url} label="Copy link" />
            </div>
            <Alert variant={MAIL_NOTE[created.mail].warn ? "warning" : "default"} data-testid="invite-mail-note">
              <AlertDescription>{MAIL_NOTE[created.mail].text}</AlertDescription>
            </Alert>
            <DialogFooter>
              <Button onClick={() => reset(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={form.handleSubmit(() => ({ org, email, role }))} className="grid gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>Invite a member</DialogTitle>
              <DialogDescription>They get a one-time link to join {organizationName}: new people choose a name and password, existing accounts sign in to accept.</DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor="invite-email">Email</Label>
              <Input
                id="invite-email"
                type="email"
                autoComplete="off"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                {...form.ariaFor("email", { error: "invite-email-error" })}
                autoFocus
              />
              <FieldError id="invite-email-error" messages={form.errors.email} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="invite-role">Role</Label>
              <RoleSelect id="invite-role" value={role} onChange={setRole} className="w-full" />
              <p className="text-sm text-muted-foreground">{ROLE_DESCRIPTION[role]}.</p>
              <FieldError id="invite-role-error" messages={form.errors.role} />
            </div>
            <FieldError id="invite-form-error" messages={form.errors._form} />
            <DialogFooter>
              <Button type="submit" disabled={form.pending}>
                {form.pending ? "Creating invite…" : "Create invite link"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
