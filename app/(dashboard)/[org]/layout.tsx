import { AppShell } from "@/components/layout/app-shell";
import { organizationsOf, requireMemberPage } from "@/lib/auth/session";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const member = await requireMemberPage(org);
  const organizations = await organizationsOf(member.user.id);
  return (
    <AppShell user={member.user} current={{ ...member.organization, role: member.role }} organizations={organizations}>
      {children}
    </AppShell>
  );
}
