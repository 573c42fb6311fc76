import NotFound from "@/app/not-found";
import { PortalAwareNotFound } from "@/components/portal/portal-scope";

export default function OrgNotFound() {
  return <PortalAwareNotFound fallback={<NotFound />} />;
}
