import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiReference } from "@/components/api-reference/api-reference";
import { ApiReferenceIntro } from "@/components/api-reference/api-reference-intro";
import { PageHeader } from "@/components/layout/page-header";
import { referenceSections } from "@/lib/api/v1/reference";
import { openApiDocument } from "@/lib/api/v1/registry";
import { requireMemberPage } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiReferencePage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organization } = await requireMemberPage(org);
  const document = openApiDocument();
  return (
    <div className="mx-auto max-w-7xl space-y-8">
      <PageHeader breadcrumb={["Settings", "Developers"]} title="API reference" description={`${document.info.title} ${document.info.version}: every call of the HTTP API, generated from the schemas the server validates with.`} />
      <ApiReferenceIntro org={organization.slug} serverUrl={requestOrigin(await headers(), env().PORT)} description={document.info.description ?? ""} />
      <ApiReference sections={referenceSections(document)} />
    </div>
  );
}
