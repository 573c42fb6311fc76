import { Eye, Webhook } from "lucide-react";
import { PortalScope } from "@/components/portal/portal-scope";
import { PortalSignOut } from "@/components/portal/portal-sign-out";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";

/**
 * The dashboard's frame for a portal link's visitor (lib/portal): one organization's webhook
 * screens and nothing that leads out of them (no organization switcher, no other settings, no
 * account menu; its own "Sign out" ends the link). Often shown inside the platform's own page, in an iframe.
 */
export function PortalShell({
  organization,
  readOnly,
  expiresAt,
  children,
}: {
  organization: { name: string; slug: string };
  readOnly: boolean;
  expiresAt: Date;
  children: React.ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="flex min-h-12 flex-wrap items-center gap-x-3 gap-y-1 border-b bg-background px-4 py-2">
        <span className="flex min-w-0 items-center gap-2 font-semibold">
          <Webhook className="size-5 shrink-0 text-primary" aria-hidden />
          <span className="truncate">{organization.name}</span>
        </span>
        <Badge variant="secondary" title="Opened through a portal link: no HookRelay account needed">
          Portal
        </Badge>
        {readOnly ? (
          <Badge variant="outline" className="gap-1">
            <Eye aria-hidden /> Read-only
          </Badge>
        ) : null}
        <span className="ml-auto flex items-center gap-2">
          <span className="text-xs text-muted-foreground" data-testid="portal-expires">
            Link expires <Time value={expiresAt} />
          </span>
          <PortalSignOut org={organization.slug} />
        </span>
      </header>
      {readOnly ? (
        <p className="border-b bg-muted/40 px-4 py-2 text-sm text-muted-foreground" role="note">
          This link is read-only: you can look at endpoints and message logs, but not change them.
        </p>
      ) : null}
      <main id="main" className="min-w-0 flex-1 p-4 sm:p-6 lg:p-8">
        <PortalScope org={organization.slug}>{children}</PortalScope>
      </main>
    </div>
  );
}
