import { notFound } from "next/navigation";
import { requireStaffPage } from "@/lib/auth/session";
import { getEndpoint } from "@/lib/endpoints/endpoints";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";
import { operatorEndpointPath } from "@/lib/routes";

/** An unknown operator endpoint is a 404, answered here, outside the pages' loading boundaries. */
export default async function OperatorEndpointLayout({ children, params }: { children: React.ReactNode; params: Promise<{ endpointId: string }> }) {
  const { endpointId } = await params;
  await requireStaffPage(operatorEndpointPath(endpointId));
  if (!(await getEndpoint(PLATFORM_ORGANIZATION_ID, endpointId))) notFound();
  return children;
}
