"use client";

import Link from "next/link";
import { createContext, useContext } from "react";
import { Button } from "@/components/ui/button";
import { webhooksPath } from "@/lib/routes";

/** Set by the portal's shell: the organization whose webhook screens a portal visitor may see. */
const PortalScopeContext = createContext<{ org: string } | null>(null);

export function PortalScope({ org, children }: { org: string; children: React.ReactNode }) {
  return <PortalScopeContext.Provider value={{ org }}>{children}</PortalScopeContext.Provider>;
}

/** The organization's "page not found": inside the portal it leads back to the webhook screens, not to a dashboard the visitor has no access to. */
export function PortalAwareNotFound({ fallback }: { fallback: React.ReactNode }) {
  const scope = useContext(PortalScopeContext);
  if (!scope) return fallback;
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center gap-3 p-10 text-center">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-muted-foreground">This page does not exist, or it is not part of the webhooks portal (a read-only link cannot open editing pages).</p>
      <Button asChild variant="outline">
        <Link href={webhooksPath(scope.org)}>Back to webhooks</Link>
      </Button>
    </div>
  );
}
