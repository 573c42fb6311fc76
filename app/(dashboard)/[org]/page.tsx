import { redirect } from "next/navigation";
import { webhooksPath } from "@/lib/routes";

export default async function OrgHome({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  redirect(webhooksPath(org));
}
