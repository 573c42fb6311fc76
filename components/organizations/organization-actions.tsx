"use client";

import { MoreHorizontal } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { inviteOwnerAction, renameOrganizationAction, setOrganizationDisabledAction, type OwnerInvite } from "@/app/(dashboard)/platform/organizations/actions";
import { InviteLink } from "@/components/organizations/invite-link";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import { formatDuration } from "@/lib/time";
import { fieldErrorsByPath, type FieldErrors } from "@/lib/validations/field-errors";
import { staffInviteOwnerSchema, staffRenameOrganizationSchema } from "@/lib/validations/organization";

export interface OrganizationTarget {
  id: string;
  name: string;
  slug: string;
  disabled: boolean;
}

type Open = "rename" | "invite" | "toggle" | null;

/** One organization's staff actions: rename, invite an owner, disable or enable. */
export function OrganizationActions({ organization, origin, recheckMs }: { organization: OrganizationTarget; origin: string; recheckMs: number }) {
  const [open, setOpen] = useState<Open>(null);
  const close = (next: boolean) => !next && setOpen(null);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${organization.name}`} data-testid="organization-actions">
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setOpen("rename")}>Rename…</DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setOpen("invite")}>Invite owner…</DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem variant={organization.disabled ? "default" : "destructive"} onSelect={() => setOpen("toggle")}>
            {organization.disabled ? "Enable…" : "Disable…"}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {open === "rename" ? <RenameDialog organization={organization} onOpenChange={close} /> : null}
      {open === "invite" ? <InviteOwnerDialog organization={organization} origin={origin} onOpenChange={close} /> : null}
      {open === "toggle" ? <ToggleDialog organization={organization} recheckMs={recheckMs} onOpenChange={close} /> : null}
    </>
  );
}

function RenameDialog({ organization, onOpenChange }: { organization: OrganizationTarget; onOpenChange: (open: boolean) => void }) {
  const [values, setValues] = useState({ name: organization.name, slug: organization.slug });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();
  const input = { id: organization.id, ...values };

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = staffRenameOrganizationSchema.safeParse(input);
    if (!parsed.success) return setErrors(fieldErrorsByPath(parsed.error));
    startTransition(async () => {
      const result = await renameOrganizationAction(input);
      if (!result.ok) return setErrors(result.fieldErrors ?? { _form: [result.error] });
      toast.success(`Saved ${result.data.name}`);
      onOpenChange(false);
    });
  }

  return (
    <Dialog open onOpenChange={onOpenChange}>
      <DialogContent>
        <form onSubmit={submit} className="grid min-w-0 gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Rename {organization.name}</DialogTitle>
            <DialogDescription>A new slug changes the organization&apos;s dashboard URLs and its API uid: old links and API paths with the old slug stop working.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="rename-name">Name</Label>
            <Input
              id="rename-name"
              value={values.name}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? "rename-name-error" : undefined}
              onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
            />
            <FieldError id="rename-name-error" messages={errors.name} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="rename-slug">Slug</Label>
            <Input
              id="rename-slug"
              value={values.slug}
              className="font-mono"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={errors.slug ? true : undefined}
              aria-describedby={errors.slug ? "rename-slug-error" : undefined}
              onChange={(e) => setValues((v) => ({ ...v, slug: e.target.value }))}
            />
            <FieldError id="rename-slug-error" messages={errors.slug} />
          </div>
          <FieldError id="rename-form-error" messages={errors._form} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function InviteOwnerDialog({ organization, origin, onOpenChange }: { organization: OrganizationTarget; origin: string; onOpenChange: (open: boolean) => void }) {
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [invite, setInvite] = useState<OwnerInvite | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const input = { id: organization.id, email };
    const parsed = staffInviteOwnerSchema.safeParse(input);
    if (!parsed.success) return setErrors(fieldErrorsByPath(parsed.error));
    startTransition(async () => {
      const result = await inviteOwnerAction(input);
      if (!result.ok) return setErrors(result.fieldErrors ?? { _form: [result.error] });
      setErrors({});
      setInvite(result.data);
    });
  }

  return (
    <Dialog open onOpenChange={onOpenChange}>
      <DialogContent>
        {invite ? (
          <>
            <DialogHeader>
              <DialogTitle>Invite {organization.name}&apos;s owner</DialogTitle>
              <DialogDescription>No e-mail is sent: copy the link and send it to them yourself.</DialogDescription>
            </DialogHeader>
            <InviteLink invite={invite} organizationName={organization.name} origin={origin} />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={submit} className="grid min-w-0 gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>Invite an owner to {organization.name}</DialogTitle>
              <DialogDescription>
                Owners manage the organization&apos;s members and webhooks. You get a one-time link (valid 7 days) to send them; a newer invite to the same address
                replaces this one.
              </DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor="invite-owner-email">E-mail</Label>
              <Input
                id="invite-owner-email"
                type="email"
                autoComplete="off"
                autoFocus
                value={email}
                aria-invalid={errors.email ? true : undefined}
                aria-describedby={errors.email ? "invite-owner-email-error" : undefined}
                onChange={(e) => setEmail(e.target.value)}
              />
              <FieldError id="invite-owner-email-error" messages={errors.email} />
            </div>
            <FieldError id="invite-owner-form-error" messages={errors._form} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? "Creating link…" : "Create invite link"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function ToggleDialog({ organization, recheckMs, onOpenChange }: { organization: OrganizationTarget; recheckMs: number; onOpenChange: (open: boolean) => void }) {
  const [pending, startTransition] = useTransition();
  const disable = !organization.disabled;
  function confirm(event: React.MouseEvent) {
    // Keep the dialog open until the action answers.
    event.preventDefault();
    startTransition(async () => {
      const result = await setOrganizationDisabledAction({ id: organization.id, disabled: disable });
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      toast.success(`${organization.name} ${result.data.disabled ? "disabled" : "enabled"}`);
      onOpenChange(false);
    });
  }
  return (
    <AlertDialog open onOpenChange={onOpenChange}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>
            {disable ? "Disable" : "Enable"} {organization.name}?
          </AlertDialogTitle>
          <AlertDialogDescription asChild>
            {disable ? (
              <ul className="list-disc space-y-1 pl-5 text-left">
                <li>
                  Its organization API keys are refused (403, code <code className="font-mono text-xs">organization_disabled</code>), sending events included.
                </li>
                <li>Its webhooks are not sent: deliveries wait, nothing fails, and they go out after you enable it again.</li>
                <li>Its members can still sign in and see a notice; platform keys still work.</li>
              </ul>
            ) : (
              <p>Its API keys work again and its waiting deliveries go out within {formatDuration(recheckMs)}, with their remaining attempts intact.</p>
            )}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction variant={disable ? "destructive" : "default"} disabled={pending} onClick={confirm}>
            {pending ? (disable ? "Disabling…" : "Enabling…") : disable ? "Disable organization" : "Enable organization"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
