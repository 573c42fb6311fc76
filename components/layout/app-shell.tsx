import Link from "next/link";
import { Webhook } from "lucide-react";
import { MobileNav } from "@/components/layout/mobile-nav";
import { OrgSwitcher } from "@/components/layout/org-switcher";
import { SidebarNav } from "@/components/layout/sidebar-nav";
import { UserMenu } from "@/components/layout/user-menu";
import type { Role } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session";
import { orgPath } from "@/lib/routes";

export interface ShellOrganization {
  name: string;
  slug: string;
  role: Role;
}

export function AppShell({
  user,
  current,
  organizations,
  area = "Platform",
  children,
}: {
  user: SessionUser;
  /** Null on platform pages, which belong to no organization. */
  current: ShellOrganization | null;
  organizations: ShellOrganization[];
  /** Shown instead of the organization switcher on pages of no organization. */
  area?: string;
  children: React.ReactNode;
}) {
  // Outside an organization only staff have navigation (the platform pages); others get none to open.
  const hasNav = current !== null || user.isStaff;
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-1 border-b bg-background px-2 sm:gap-3 sm:px-4">
        {hasNav ? <MobileNav org={current?.slug ?? null} isStaff={user.isStaff} /> : null}
        <Link href={current ? orgPath(current.slug) : "/"} className="flex shrink-0 items-center gap-2 rounded-md px-1 font-semibold" aria-label="HookRelay home">
          <Webhook className="size-5 text-primary" aria-hidden />
          <span className="hidden sm:inline">HookRelay</span>
        </Link>
        <span className="hidden text-muted-foreground sm:inline" aria-hidden>
          /
        </span>
        {current ? <OrgSwitcher current={current} organizations={organizations} /> : <span className="font-medium">{area}</span>}
        <div className="ml-auto shrink-0">
          <UserMenu email={user.email} name={user.name} isStaff={user.isStaff} />
        </div>
      </header>
      <div className="flex flex-1">
        {hasNav ? (
          <aside className="hidden w-60 shrink-0 border-r bg-muted/30 md:block">
            <SidebarNav org={current?.slug ?? null} isStaff={user.isStaff} />
          </aside>
        ) : null}
        <main id="main" className="min-w-0 flex-1 p-4 sm:p-6 lg:p-8">
          {children}
        </main>
      </div>
    </div>
  );
}
