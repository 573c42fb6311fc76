import { AppShell } from "@/components/layout/app-shell";
import { organizationsOf, requireStaffPage } from "@/lib/auth/session";
import { platformPath } from "@/lib/routes";

/**
 * Platform pages belong to no organization. The staff check runs here, outside every loading
 * boundary, so that everyone else gets the 404 page with a real 404 status.
 */
export default async function PlatformLayout({ children }: { children: React.ReactNode }) {
  const user = await requireStaffPage(platformPath);
  const organizations = await organizationsOf(user.id);
  return (
    <AppShell user={user} current={null} organizations={organizations}>
      {children}
    </AppShell>
  );
}
