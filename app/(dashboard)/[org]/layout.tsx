import { AppShell } from "@/components/layout/app-shell";
import { OrganizationDisabledBanner } from "@/components/organizations/disabled-banner";
import { findOrganization } from "@/lib/api/organization";
import { organizationsOf, requireMemberPage } from "@/lib/auth/session";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const member = await requireMemberPage(org);
  const [organizations, state] = await Promise.all([organizationsOf(member.user.id), findOrganization(member.organization.id)]);
  return (
    <AppShell user={member.user} current={{ ...member.organization, role: member.role }} organizations={organizations}>
      {state?.disabledAt ? <OrganizationDisabledBanner name={member.organization.name} /> : null}
      {children}
    </AppShell>
  );
}
