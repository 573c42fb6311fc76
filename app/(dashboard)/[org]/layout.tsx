import { notFound } from "next/navigation";
import { AppShell } from "@/components/layout/app-shell";
import { AuthorizationError, memberOf, organizationsOf, requireUserPage } from "@/lib/auth/session";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const user = await requireUserPage(`/${org}`);
  const member = await memberOf(user, org, "VIEWER").catch((error: unknown) => {
    if (error instanceof AuthorizationError) notFound();
    throw error;
  });
  const organizations = await organizationsOf(user.id);
  return (
    <AppShell user={user} current={{ ...member.organization, role: member.role }} organizations={organizations}>
      {children}
    </AppShell>
  );
}
