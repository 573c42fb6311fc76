"use client";

import { Plus } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { createOrganizationAction, type OwnerInvite } from "@/app/(dashboard)/platform/organizations/actions";
import { InviteLink } from "@/components/organizations/invite-link";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import { fieldErrorsByPath, type FieldErrors } from "@/lib/validations/field-errors";
import { slugFromName, staffCreateOrganizationSchema } from "@/lib/validations/organization";

const EMPTY = { name: "", slug: "", ownerEmail: "" };

/** Staff create an organization; with an owner e-mail the dialog then shows the owner's invite link, once. */
export function CreateOrganizationDialog({ origin }: { origin: string }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(EMPTY);
  // The slug follows the name until it is edited by hand.
  const [slugEdited, setSlugEdited] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<{ name: string; invite: OwnerInvite } | null>(null);
  const [pending, startTransition] = useTransition();

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setValues(EMPTY);
      setSlugEdited(false);
      setErrors({});
      setCreated(null);
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = staffCreateOrganizationSchema.safeParse(values);
    if (!parsed.success) return setErrors(fieldErrorsByPath(parsed.error));
    startTransition(async () => {
      const result = await createOrganizationAction(values);
      if (!result.ok) return setErrors(result.fieldErrors ?? { _form: [result.error] });
      toast.success(`Created ${result.data.name}`);
      if (result.data.invite) setCreated({ name: result.data.name, invite: result.data.invite });
      else reset(false);
    });
  }

  const field = (name: keyof typeof EMPTY, hint = false) => ({
    id: `org-${name}`,
    value: values[name],
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": [hint ? `org-${name}-hint` : "", errors[name] ? `org-${name}-error` : ""].filter(Boolean).join(" ") || undefined,
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
          <form onSubmit={submit} className="grid min-w-0 gap-4" noValidate>
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
              <FieldError id="org-name-error" messages={errors.name} />
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
              <FieldError id="org-slug-error" messages={errors.slug} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="org-ownerEmail">
                Owner e-mail <span className="font-normal text-muted-foreground">(optional)</span>
              </Label>
              <Input {...field("ownerEmail", true)} type="email" autoComplete="off" onChange={(e) => setValues((v) => ({ ...v, ownerEmail: e.target.value }))} />
              <p id="org-ownerEmail-hint" className="text-xs text-muted-foreground">
                You get a one-time invite link (valid 7 days) to send them; they set their own password.
              </p>
              <FieldError id="org-ownerEmail-error" messages={errors.ownerEmail} />
            </div>
            <FieldError id="org-form-error" messages={errors._form} />
            <DialogFooter>
              <Button type="submit" disabled={pending}>
                {pending ? "Creating…" : "Create organization"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
