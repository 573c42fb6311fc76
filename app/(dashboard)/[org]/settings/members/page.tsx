import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { InviteDialog } from "@/components/members/invite-dialog";
import { MembersTable, PendingInvitesCard } from "@/components/members/members-panel";
import { requireMemberPage } from "@/lib/auth/session";
import { listPendingInvites } from "@/lib/members/invites";
import { listMembers } from "@/lib/members/members";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organization, role, user } = await requireMemberPage(org);
  const [members, invites] = await Promise.all([listMembers(organization.id), listPendingInvites(organization.id)]);
  const canManage = role === "OWNER";
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageHeader
        breadcrumb={["Settings"]}
        title="Members"
        description={
          canManage
            ? `People with access to ${organization.name}. Owners manage members; admins manage webhooks; viewers read everything.`
            : `People with access to ${organization.name}. Only owners can invite people or change roles.`
        }
        actions={canManage ? <InviteDialog org={organization.slug} organizationName={organization.name} /> : null}
      />
      <MembersTable org={organization.slug} members={members} canManage={canManage} selfId={user.id} />
      <PendingInvitesCard org={organization.slug} invites={invites} canManage={canManage} />
    </div>
  );
}
