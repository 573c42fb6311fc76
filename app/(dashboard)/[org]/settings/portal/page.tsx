import type { Metadata } from "next";
import { headers } from "next/headers";
import { PageHeader } from "@/components/layout/page-header";
import { PortalLinksCard } from "@/components/portal/portal-links-card";
import { PortalOriginsForm } from "@/components/portal/portal-origins-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";
import { countOpenPortalAccesses } from "@/lib/portal/access";

export const metadata: Metadata = { title: "Portal links" };

function embedSnippet(serverUrl: string, app: string): string {
  return `import { Svix } from "svix";

const svix = new Svix(process.env.HOOKRELAY_API_KEY!, { serverUrl: "${serverUrl}" });

// On your server, when your customer opens their webhook settings:
const { url } = await svix.authentication.appPortalAccess("${app}", {
  expiry: 3600,     // seconds (1 hour to 7 days; default 7 days)
  readOnly: false,  // true: they can look, not change
});

// In your page (served from an origin listed above):
// <iframe src={url} style={{ width: "100%", height: 800, border: 0 }} />`;
}

export default async function PortalSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organization, role } = await requireMemberPage(org);
  const [settings, openLinks] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: organization.id }, select: { portalOrigins: true } }),
    countOpenPortalAccesses(organization.id),
  ]);
  const canManage = hasRole(role, MANAGE_ROLE);
  const serverUrl = requestOrigin(await headers(), env().PORT);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageHeader
        breadcrumb={["Settings"]}
        title="Portal links"
        description={`Show ${organization.name}'s webhook screens inside your own product, without HookRelay accounts: your server asks the API for a short-lived link and frames it.`}
      />
      <Card>
        <CardHeader>
          <CardTitle>Where the portal may be framed</CardTitle>
          <CardDescription>Browsers refuse to show a portal link inside a page from any other origin.</CardDescription>
        </CardHeader>
        <CardContent>
          <PortalOriginsForm org={organization.slug} origins={settings.portalOrigins} canManage={canManage} />
        </CardContent>
      </Card>
      <PortalLinksCard org={organization.slug} openLinks={openLinks} canManage={canManage} />
      <Card>
        <CardHeader>
          <CardTitle>Embed it</CardTitle>
          <CardDescription>The same call as Svix&apos;s App Portal, with the Svix SDK and an API key of this organization (or a platform key).</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <CodeBlock title="Create a link and frame it" code={embedSnippet(serverUrl, organization.slug)} copyLabel="Copy example" />
          <ul className="list-disc space-y-1 pl-5 text-sm text-muted-foreground">
            <li>
              The link keeps its session in a cookie. Inside a frame on another site, browsers send it only over HTTPS (it is then{" "}
              <code className="font-mono text-xs">SameSite=None; Secure</code>): serve HookRelay over HTTPS, or from the same site as the framing page.
            </li>
            <li>Safari blocks cookies in frames from other sites altogether: for Safari users, open the link in a new tab or serve HookRelay on a subdomain of your site.</li>
            <li>Links are scoped to {organization.name}&apos;s webhook screens: API keys, members and other settings stay out of reach.</li>
          </ul>
        </CardContent>
      </Card>
    </div>
  );
}
