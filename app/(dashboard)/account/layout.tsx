import { AppShell } from "@/components/layout/app-shell";
import { organizationsOf, requireUserPage } from "@/lib/auth/session";
import { accountPath } from "@/lib/routes";

/** The signed-in person's own account: it belongs to no organization. */
export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUserPage(accountPath);
  const organizations = await organizationsOf(user.id);
  return (
    <AppShell user={user} current={null} organizations={organizations} area="Account">
      {children}
    </AppShell>
  );
}
