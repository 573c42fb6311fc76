import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInviteButton, NewAccountForm, SignOutForInvite } from "@/components/members/accept-invite";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { ROLE_LABEL } from "@/lib/auth/roles";
import { currentUser } from "@/lib/auth/session";
import { findInvite, invitePath } from "@/lib/members/invites";

export const metadata: Metadata = { title: "Invitation" };

/**
 * Public: the person opening it may have no account yet; the token in the path is the credential.
 * It shows the organization and role, then one of: a form that creates the account (new address),
 * "Sign in to accept" (the address has an account), "Accept" (signed in as that address), or how
 * to switch accounts (signed in as another address).
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [lookup, user] = await Promise.all([findInvite(token), currentUser()]);

  if (!lookup.ok) {
    return (
      <InviteCard title="This invite link cannot be used" description={lookup.message} testId={`invite-${lookup.code}`}>
        <Button asChild variant="outline" className="w-full">
          <Link href={user ? "/" : "/sign-in"}>{user ? "Go to HookRelay" : "Sign in"}</Link>
        </Button>
      </InviteCard>
    );
  }

  const { invite, accountExists } = lookup;
  const org = invite.organization;
  const description = (
    <>
      {invite.invitedBy ? `${invite.invitedBy} invited ` : "You are invited as "}
      <strong className="text-foreground">{invite.email}</strong> to join <strong className="text-foreground">{org.name}</strong> as{" "}
      <strong className="text-foreground">{ROLE_LABEL[invite.role].toLowerCase()}</strong>. The link expires <Time value={invite.expiresAt} />.
    </>
  );
  const signInHref = `/sign-in?${new URLSearchParams({ callbackUrl: invitePath(token), email: invite.email })}`;

  if (user && user.email !== invite.email) {
    return (
      <InviteCard title={`Join ${org.name}`} description={description} testId="invite-wrong-account">
        <p className="text-sm">
          You are signed in as <strong>{user.email}</strong>, but this invite is for <strong>{invite.email}</strong>.{" "}
          {accountExists ? `Sign out, then sign in as ${invite.email} to accept.` : `Sign out to create the account for ${invite.email}.`}
        </p>
        <SignOutForInvite token={token} label={`Sign out of ${user.email}`} />
        <Button asChild variant="ghost" className="w-full">
          <Link href="/">Keep using {user.email}</Link>
        </Button>
      </InviteCard>
    );
  }
  if (user) {
    return (
      <InviteCard title={`Join ${org.name}`} description={description} testId="invite-accept">
        <AcceptInviteButton token={token} organizationName={org.name} />
      </InviteCard>
    );
  }
  if (accountExists) {
    return (
      <InviteCard title={`Join ${org.name}`} description={description} testId="invite-sign-in">
        <p className="text-sm text-muted-foreground">{invite.email} already has a HookRelay account. Sign in with it to accept.</p>
        <Button asChild className="w-full">
          <Link href={signInHref}>Sign in to accept</Link>
        </Button>
      </InviteCard>
    );
  }
  return (
    <InviteCard title={`Join ${org.name}`} description={description} testId="invite-new-account">
      <p className="text-sm text-muted-foreground">Choose your name and a password to create your account; you then go straight to the organization&apos;s webhooks.</p>
      <NewAccountForm token={token} email={invite.email} />
    </InviteCard>
  );
}

function InviteCard({ title, description, testId, children }: { title: string; description: React.ReactNode; testId: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <Card className="w-full max-w-md" data-testid={testId}>
        <CardHeader>
          <CardTitle className="text-xl leading-tight">
            <h1>{title}</h1>
          </CardTitle>
          <CardDescription>{description}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">{children}</CardContent>
      </Card>
    </main>
  );
}
