"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";
import {
  apiKeysPath,
  apiReferencePath,
  jobsPath,
  membersPath,
  operationalWebhooksPath,
  organizationsPath,
  platformAuditPath,
  platformCatalogPath,
  platformPath,
  portalSettingsPath,
  sendEventPath,
  webhooksPath,
} from "@/lib/routes";

interface NavGroup {
  label: string;
  /** `exact`: active on that path only, not below it (the platform overview sits above the other platform pages). */
  items: { label: string; href: string; exact?: boolean }[];
}

/** `org` is null on platform pages, which belong to no organization. */
export function navGroups(org: string | null, isStaff: boolean): NavGroup[] {
  const groups: NavGroup[] = org
    ? [
        {
          label: "Settings · Integrations",
          items: [
            { label: "Webhooks", href: webhooksPath(org) },
            { label: "Portal links", href: portalSettingsPath(org) },
          ],
        },
        {
          label: "Settings · Developers",
          items: [
            { label: "API keys", href: apiKeysPath(org) },
            { label: "API reference", href: apiReferencePath(org) },
          ],
        },
        { label: "Settings · Organization", items: [{ label: "Members", href: membersPath(org) }] },
      ]
    : [];
  // Platform pages are for HookRelay's own staff; the pages check this again on the server.
  if (isStaff) {
    groups.push({
      label: "Platform",
      items: [
        { label: "Overview", href: platformPath, exact: true },
        { label: "Organizations", href: organizationsPath() },
        { label: "Send event", href: sendEventPath() },
        { label: "Event catalog", href: platformCatalogPath() },
        { label: "Operational webhooks", href: operationalWebhooksPath() },
        { label: "Jobs", href: jobsPath() },
        { label: "Audit log", href: platformAuditPath() },
      ],
    });
  }
  return groups;
}

export function SidebarNav({ org, isStaff, onNavigate }: { org: string | null; isStaff: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="space-y-6 p-4">
      {navGroups(org, isStaff).map((group) => (
        <div key={group.label}>
          <p className="mb-2 px-2 text-xs font-semibold uppercase tracking-wide text-muted-foreground">{group.label}</p>
          <ul className="space-y-1">
            {group.items.map((item) => {
              const active = pathname === item.href || (!item.exact && pathname.startsWith(item.href + "/"));
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    onClick={onNavigate}
                    className={cn(
                      "block rounded-md px-2 py-1.5 text-sm outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring",
                      active && "bg-accent font-medium text-accent-foreground",
                    )}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
