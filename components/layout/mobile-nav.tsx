"use client";

import { Menu } from "lucide-react";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { SidebarNav } from "@/components/layout/sidebar-nav";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";

/** Below the md breakpoint the sidebar is hidden; the same navigation opens from this button as a sheet. */
export function MobileNav({ org, isStaff }: { org: string | null; isStaff: boolean }) {
  const pathname = usePathname();
  const [openedAt, setOpenedAt] = useState<string | null>(null);
  // Keyed to the path it was opened on, so any navigation (a link, back/forward) closes it.
  const open = openedAt === pathname;
  return (
    <Sheet open={open} onOpenChange={(next) => setOpenedAt(next ? pathname : null)}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className="shrink-0 md:hidden" aria-label="Open navigation">
          <Menu className="size-5" aria-hidden />
        </Button>
      </SheetTrigger>
      <SheetContent side="left" className="md:hidden">
        <SheetHeader>
          <SheetTitle>Navigation</SheetTitle>
          <SheetDescription className="sr-only">Pages of this organization</SheetDescription>
        </SheetHeader>
        <SidebarNav org={org} isStaff={isStaff} onNavigate={() => setOpenedAt(null)} />
      </SheetContent>
    </Sheet>
  );
}
