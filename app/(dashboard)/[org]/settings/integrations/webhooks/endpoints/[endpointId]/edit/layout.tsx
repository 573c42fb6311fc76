import { MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";

/** The role check sits outside the page's loading boundary, so a viewer gets a real 404. */
export default async function EditEndpointLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  await requireMemberPage((await params).org, MANAGE_ROLE, { portal: true });
  return children;
}
