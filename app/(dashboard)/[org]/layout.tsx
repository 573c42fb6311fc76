import { AppShell } from "@/components/layout/app-shell";
import { OrganizationDisabledBanner } from "@/components/organizations/disabled-banner";
import { PortalShell } from "@/components/portal/portal-shell";
import { organizationsOf, requireMemberPage } from "@/lib/auth/session";
import { isOrganizationDisabled } from "@/lib/organizations/disabled";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  // Portal visitors too: only the webhook screens admit them (each checks on its own), the rest sends them to sign-in.
  const member = await requireMemberPage(org, "VIEWER", { portal: true });
  if (member.portal) {
    return (
      <PortalShell organization={member.organization} readOnly={member.role === "VIEWER"} expiresAt={member.expiresAt}>
        {children}
      </PortalShell>
    );
  }
  const organizations = await organizationsOf(member.user.id);
  return (
    <AppShell user={member.user} current={{ ...member.organization, role: member.role }} organizations={organizations}>
      {isOrganizationDisabled(member.organization) ? <OrganizationDisabledBanner name={member.organization.name} /> : null}
      {children}
    </AppShell>
  );
}
