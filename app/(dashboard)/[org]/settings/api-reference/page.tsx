import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiReference } from "@/components/api-reference/api-reference";
import { ApiReferenceIntro } from "@/components/api-reference/api-reference-intro";
import { PageHeader } from "@/components/layout/page-header";
import { chosenSection } from "@/lib/api/v1/reference";
import { openApiDocument } from "@/lib/api/v1/registry";
import { servedReference } from "@/lib/api/v1/served-reference";
import { requireMemberPage } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";
import { apiReferenceSearchSchema } from "@/lib/validations/api-reference";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiReferencePage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const { organization } = await requireMemberPage(org);
  const { section } = apiReferenceSearchSchema.parse(await searchParams);
  const document = openApiDocument();
  const sections = servedReference();
  return (
    <div className="mx-auto max-w-7xl space-y-8">
      <PageHeader breadcrumb={["Settings", "Developers"]} title="API reference" description={`${document.info.title} ${document.info.version}: every call of the HTTP API, generated from the schemas the server validates with.`} />
      <ApiReferenceIntro org={organization.slug} serverUrl={requestOrigin(await headers(), env().PORT)} description={document.info.description ?? ""} />
      <ApiReference org={organization.slug} sections={sections} section={chosenSection(sections, section)} />
    </div>
  );
}
