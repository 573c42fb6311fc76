"use client";

import { MoreHorizontal } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { inviteOwnerAction, renameOrganizationAction, setOrganizationDisabledAction } from "@/actions/organizations";
import type { OwnerInvite } from "@/lib/organizations/wire";
import { InviteLink } from "@/components/organizations/invite-link";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import { useActionForm } from "@/components/ui/use-action-form";
import { formatDuration } from "@/lib/time";
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
          {/* Nobody is invited into a disabled organization (lib/organizations/disabled.ts); the action refuses it too. */}
          <DropdownMenuItem disabled={organization.disabled} onSelect={() => setOpen("invite")}>
            {organization.disabled ? "Invite owner (enable it first)" : "Invite owner…"}
          </DropdownMenuItem>
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
  const form = useActionForm(renameOrganizationAction, {
    schema: staffRenameOrganizationSchema,
    onSuccess: (data) => {
      toast.success(`Saved ${data.name}`);
      onOpenChange(false);
    },
  });

  return (
    <Dialog open onOpenChange={onOpenChange}>
      <DialogContent>
        <form onSubmit={form.handleSubmit(() => ({ id: organization.id, ...values }))} className="grid min-w-0 gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Rename {organization.name}</DialogTitle>
            <DialogDescription>A new slug changes the organization&apos;s dashboard URLs and its API uid: old links and API paths with the old slug stop working.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="rename-name">Name</Label>
            <Input
              id="rename-name"
              value={values.name}
              {...form.ariaFor("name", { error: "rename-name-error" })}
              onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
            />
            <FieldError id="rename-name-error" messages={form.errors.name} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="rename-slug">Slug</Label>
            <Input
              id="rename-slug"
              value={values.slug}
              className="font-mono"
              autoCapitalize="none"
              spellCheck={false}
              {...form.ariaFor("slug", { error: "rename-slug-error" })}
              onChange={(e) => setValues((v) => ({ ...v, slug: e.target.value }))}
            />
            <FieldError id="rename-slug-error" messages={form.errors.slug} />
          </div>
          <FieldError id="rename-form-error" messages={form.errors._form} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={form.pending}>
              {form.pending ? "Saving…" : "Save"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function InviteOwnerDialog({ organization, origin, onOpenChange }: { organization: OrganizationTarget; origin: string; onOpenChange: (open: boolean) => void }) {
  const [email, setEmail] = useState("");
  const [invite, setInvite] = useState<OwnerInvite | null>(null);
  const form = useActionForm(inviteOwnerAction, { schema: staffInviteOwnerSchema, onSuccess: (data) => setInvite(data) });

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
          <form onSubmit={form.handleSubmit(() => ({ id: organization.id, email }))} className="grid min-w-0 gap-4" noValidate>
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
                {...form.ariaFor("email", { error: "invite-owner-email-error" })}
                onChange={(e) => setEmail(e.target.value)}
              />
              <FieldError id="invite-owner-email-error" messages={form.errors.email} />
            </div>
            <FieldError id="invite-owner-form-error" messages={form.errors._form} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={form.pending}>
                {form.pending ? "Creating link…" : "Create invite link"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function ToggleDialog({ organization, recheckMs, onOpenChange }: { organization: OrganizationTarget; recheckMs: number; onOpenChange: (open: boolean) => void }) {
  const disable = !organization.disabled;
  return (
    <ConfirmAction
      open
      onOpenChange={onOpenChange}
      title={`${disable ? "Disable" : "Enable"} ${organization.name}?`}
      description={
        disable ? (
          <ul className="list-disc space-y-1 pl-5 text-left">
            <li>
              Its organization API keys are refused (403, code <code className="font-mono text-xs">organization_disabled</code>), sending events included.
            </li>
            <li>Its webhooks are not sent: deliveries wait, nothing fails, and they go out after you enable it again.</li>
            <li>Its members can still sign in and see a notice; platform keys still work.</li>
          </ul>
        ) : (
          <p>Its API keys work again and its waiting deliveries go out within {formatDuration(recheckMs)}, with their remaining attempts intact.</p>
        )
      }
      confirmLabel={disable ? "Disable organization" : "Enable organization"}
      pendingLabel={disable ? "Disabling…" : "Enabling…"}
      variant={disable ? "destructive" : "default"}
      action={() => setOrganizationDisabledAction({ id: organization.id, disabled: disable })}
      onSuccess={(data) => toast.success(`${organization.name} ${data.disabled ? "disabled" : "enabled"}`)}
    />
  );
}
