import { requireMemberPage } from "@/lib/auth/session";

/** Members only (never a portal link's visitor); outside the page's loading boundary, so a refusal is a real 404. */
export default async function PortalSettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  await requireMemberPage((await params).org);
  return children;
}
