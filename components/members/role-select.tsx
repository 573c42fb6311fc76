"use client";

import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ROLE_LABEL, type Role } from "@/lib/auth/roles";

/** What each role may do, in the words the invite dialog and the role menu show. */
export const ROLE_DESCRIPTION: Record<Role, string> = {
  OWNER: "Everything, including members and invites",
  ADMIN: "Manages endpoints, keys and recovery",
  VIEWER: "Reads everything, changes nothing",
};

const ROLES: Role[] = ["OWNER", "ADMIN", "VIEWER"];

export function RoleSelect({
  id,
  value,
  onChange,
  disabled,
  label,
  className,
}: {
  id?: string;
  value: Role;
  onChange: (role: Role) => void;
  disabled?: boolean;
  /** Accessible name when no <Label> points at it. */
  label?: string;
  className?: string;
}) {
  return (
    <Select value={value} onValueChange={(v) => onChange(v as Role)} disabled={disabled}>
      <SelectTrigger id={id} aria-label={label} className={className}>
        {/* The label itself, so the server-rendered trigger shows the role before the menu hydrates. */}
        <SelectValue>{ROLE_LABEL[value]}</SelectValue>
      </SelectTrigger>
      <SelectContent>
        {ROLES.map((role) => (
          <SelectItem key={role} value={role}>
            {ROLE_LABEL[role]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
