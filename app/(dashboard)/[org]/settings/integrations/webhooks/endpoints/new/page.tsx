import type { Metadata } from "next";
import { EndpointForm, emptyEndpoint } from "@/components/endpoints/endpoint-form";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { pickableTypes } from "@/lib/endpoints/pickable-types";

export const metadata: Metadata = { title: "Add endpoint · Webhooks" };

export default async function NewEndpointPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ url?: string }> }) {
  const { org } = await params;
  // Prefilled from the test receiver's "Add as endpoint"; validated like any typed URL on save.
  const { url } = await searchParams;
  await requireMemberPage(org, MANAGE_ROLE, { portal: true });
  return (
    <section className="space-y-4">
      <div>
        <h2 className="text-lg font-semibold">Add endpoint</h2>
        <p className="text-sm text-muted-foreground">Events of the chosen types are sent to this URL as signed POST requests.</p>
      </div>
      <EndpointForm
        org={org}
        mode={{ kind: "create" }}
        types={await pickableTypes()}
        initial={emptyEndpoint}
        prefillUrl={typeof url === "string" ? url.slice(0, 2048) : undefined}
      />
    </section>
  );
}
