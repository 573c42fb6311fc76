import type { Metadata } from "next";
import { AccountOrganizations, ChangePasswordCard, SignOutEverywhereCard } from "@/components/account/account-panels";
import { PageHeader } from "@/components/layout/page-header";
import { organizationsOf, requireUserPage } from "@/lib/auth/session";
import { accountPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUserPage(accountPath);
  const organizations = await organizationsOf(user.id);
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <PageHeader title="Your account" description={`Signed in as ${user.name ? `${user.name} (${user.email})` : user.email}.`} />
      <AccountOrganizations organizations={organizations} />
      <ChangePasswordCard email={user.email} name={user.name} />
      <SignOutEverywhereCard />
    </div>
  );
}
