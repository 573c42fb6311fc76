"use client";

import { Plus } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { createOrganizationAction } from "@/actions/organizations";
import type { OwnerInvite } from "@/lib/organizations/wire";
import { InviteLink } from "@/components/organizations/invite-link";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import { useActionForm } from "@/components/ui/use-action-form";
import { slugFromName, staffCreateOrganizationSchema } from "@/lib/validations/organization";

const EMPTY = { name: "", slug: "", ownerEmail: "" };

/** Staff create an organization; with an owner e-mail the dialog then shows the owner's invite link, once. */
export function CreateOrganizationDialog({ origin }: { origin: string }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(EMPTY);
  // The slug follows the name until it is edited by hand.
  const [slugEdited, setSlugEdited] = useState(false);
  const [created, setCreated] = useState<{ name: string; invite: OwnerInvite } | null>(null);
  const form = useActionForm(createOrganizationAction, {
    schema: staffCreateOrganizationSchema,
    onSuccess: (data) => {
      toast.success(`Created ${data.name}`);
      if (data.invite) setCreated({ name: data.name, invite: data.invite });
      else reset(false);
    },
  });

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setValues(EMPTY);
      setSlugEdited(false);
      form.clearErrors();
      setCreated(null);
    }
  }

  const field = (name: keyof typeof EMPTY, hint = false) => ({
    id: `org-${name}`,
    value: values[name],
    ...form.ariaFor(name, { error: `org-${name}-error`, hint: hint ? `org-${name}-hint` : undefined }),
  });

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden /> Create organization
        </Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Invite {created.name}&apos;s owner</DialogTitle>
              <DialogDescription>No e-mail is sent: copy the link and send it to them yourself.</DialogDescription>
            </DialogHeader>
            <InviteLink invite={created.invite} organizationName={created.name} origin={origin} />
            <DialogFooter>
              <Button onClick={() => reset(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={form.handleSubmit(() => values)} className="grid min-w-0 gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>Create organization</DialogTitle>
              <DialogDescription>A customer of your platform, with its own endpoints, messages, API keys and members.</DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor="org-name">Name</Label>
              <Input
                {...field("name")}
                autoFocus
                onChange={(e) => {
                  const name = e.target.value;
                  setValues((v) => ({ ...v, name, slug: slugEdited ? v.slug : name.trim() ? slugFromName(name) : "" }));
                }}
              />
              <FieldError id="org-name-error" messages={form.errors.name} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="org-slug">Slug</Label>
              <Input
                {...field("slug", true)}
                className="font-mono"
                autoCapitalize="none"
                spellCheck={false}
                onChange={(e) => {
                  setSlugEdited(true);
                  setValues((v) => ({ ...v, slug: e.target.value }));
                }}
              />
              <p id="org-slug-hint" className="text-xs text-muted-foreground">
                In the organization&apos;s dashboard URLs and as its application <code>uid</code> in the API. Lowercase letters, digits and dashes.
              </p>
              <FieldError id="org-slug-error" messages={form.errors.slug} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="org-ownerEmail">
                Owner e-mail <span className="font-normal text-muted-foreground">(optional)</span>
              </Label>
              <Input {...field("ownerEmail", true)} type="email" autoComplete="off" onChange={(e) => setValues((v) => ({ ...v, ownerEmail: e.target.value }))} />
              <p id="org-ownerEmail-hint" className="text-xs text-muted-foreground">
                You get a one-time invite link (valid 7 days) to send them; they set their own password.
              </p>
              <FieldError id="org-ownerEmail-error" messages={form.errors.ownerEmail} />
            </div>
            <FieldError id="org-form-error" messages={form.errors._form} />
            <DialogFooter>
              <Button type="submit" disabled={form.pending}>
                {form.pending ? "Creating…" : "Create organization"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
