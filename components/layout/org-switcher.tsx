"use client";

import { Check, ChevronsUpDown } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { ROLE_LABEL, type Role } from "@/lib/auth/roles";
import { webhooksPath } from "@/lib/routes";

interface Org {
  name: string;
  slug: string;
  role: Role;
}

export function OrgSwitcher({ current, organizations }: { current: Org; organizations: Org[] }) {
  const router = useRouter();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" className="min-w-0 shrink gap-2 px-2" aria-label={`Organization: ${current.name}. Switch organization`}>
          <span className="truncate font-medium">{current.name}</span>
          <span className="hidden text-xs text-muted-foreground sm:inline">{ROLE_LABEL[current.role]}</span>
          <ChevronsUpDown className="size-4 shrink-0 opacity-60" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64 max-w-[calc(100vw-1rem)]">
        <DropdownMenuLabel>Organizations</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {organizations.map((org) => (
          <DropdownMenuItem key={org.slug} onSelect={() => router.push(webhooksPath(org.slug))}>
            <span className="flex-1 truncate">{org.name}</span>
            {org.slug === current.slug ? <Check className="size-4" aria-label="current" /> : null}
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
