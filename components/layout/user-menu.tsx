"use client";

import { LogOut, Monitor, Moon, Settings, Sun, UserRound } from "lucide-react";
import Link from "next/link";
import { useTheme } from "next-themes";
import { useRef } from "react";
import { signOutAction } from "@/actions/auth";
import { Button } from "@/components/ui/button";
import { accountPath } from "@/lib/routes";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

const THEMES = [
  { value: "system", label: "System", icon: Monitor },
  { value: "light", label: "Light", icon: Sun },
  { value: "dark", label: "Dark", icon: Moon },
] as const;

export function UserMenu({ email, name, isStaff }: { email: string; name: string | null; isStaff: boolean }) {
  // The form lives outside the menu, which unmounts as soon as an item is chosen.
  const signOutForm = useRef<HTMLFormElement>(null);
  const { theme, setTheme } = useTheme();
  return (
    <>
      <form ref={signOutForm} action={signOutAction} hidden />
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="sm" className="min-w-0 gap-2" aria-label="Account menu">
            <UserRound className="size-4" aria-hidden />
            <span className="hidden max-w-48 truncate lg:inline">{email}</span>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-60">
          <DropdownMenuLabel className="font-normal">
            <div className="truncate text-sm font-medium">{name ?? email}</div>
            <div className="truncate text-xs text-muted-foreground">{email}</div>
            {isStaff ? <div className="mt-1 text-xs text-muted-foreground">Platform staff</div> : null}
          </DropdownMenuLabel>
          <DropdownMenuItem asChild>
            <Link href={accountPath}>
              <Settings className="size-4" aria-hidden />
              Your account
            </Link>
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuLabel className="text-xs text-muted-foreground">Theme</DropdownMenuLabel>
          <DropdownMenuRadioGroup value={theme} onValueChange={setTheme} aria-label="Theme">
            {THEMES.map(({ value, label, icon: Icon }) => (
              <DropdownMenuRadioItem key={value} value={value}>
                <Icon className="size-4" aria-hidden />
                {label}
              </DropdownMenuRadioItem>
            ))}
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => signOutForm.current?.requestSubmit()}>
            <LogOut className="size-4" aria-hidden />
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
