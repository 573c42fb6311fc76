"use client";

import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { MailCheck, UserMinus, Users, XCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, useTransition } from "react";
import { toast } from "sonner";
import { changeRoleAction, removeMemberAction, revokeInviteAction } from "@/actions/members";
import { DataTable } from "@/components/data-table/data-table";
import { RoleSelect } from "@/components/members/role-select";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Time } from "@/components/ui/time";
import { ROLE_LABEL, type Role } from "@/lib/auth/roles";
import type { PendingInvite } from "@/lib/members/invites";
import type { MemberRow } from "@/lib/members/members";

const MEMBER_SORT: SortingState = [];
const INVITE_SORT: SortingState = [{ id: "createdAt", desc: true }];

export function RoleBadge({ role }: { role: Role }) {
  return <Badge variant={role === "OWNER" ? "default" : "secondary"}>{ROLE_LABEL[role]}</Badge>;
}

/** The one owner, when there is exactly one: their role and membership cannot change (the server refuses it too). */
function soleOwner(members: MemberRow[]): string | null {
  const owners = members.filter((m) => m.role === "OWNER");
  return owners.length === 1 ? owners[0]!.userId : null;
}


function memberColumns(org: string, canManage: boolean, selfId: string, sole: string | null): ColumnDef<MemberRow>[] {
  const columns: ColumnDef<MemberRow>[] = [
    {
      id: "member",
      accessorFn: (m) => (m.name ?? m.email).toLowerCase(),
      header: "Member",
      meta: { className: "max-w-[8.5rem] @xl:max-w-xs" },
      cell: ({ row }) => {
        const m = row.original;
        return (
          <div className="min-w-0">
            <div className="truncate font-medium" title={m.name ?? m.email}>
              {m.name ?? m.email}
              {m.userId === selfId ? <span className="ml-1 font-normal text-muted-foreground">(you)</span> : null}
            </div>
            {m.name ? (
              <div className="truncate text-xs text-muted-foreground" title={m.email}>
                {m.email}
              </div>
            ) : null}
          </div>
        );
      },
    },
    {
      accessorKey: "role",
      header: "Role",
      cell: ({ row }) =>
        canManage && row.original.userId !== sole ? (
          <MemberRoleSelect org={org} member={row.original} />
        ) : (
          <span className="inline-flex items-center gap-2">
            <RoleBadge role={row.original.role} />
            {canManage ? <span className="text-xs text-muted-foreground">only owner</span> : null}
          </span>
        ),
    },
    {
      accessorKey: "joinedAt",
      header: "Joined",
      sortingFn: "datetime",
      meta: { hideBelow: "md", cellClassName: "text-sm" },
      cell: ({ row }) => <Time value={row.original.joinedAt} />,
    },
    {
      id: "lastSignInAt",
      // Never signed in sorts as the oldest.
      accessorFn: (m) => (m.lastSignInAt ? new Date(m.lastSignInAt).getTime() : 0),
      header: "Last sign-in",
      meta: { hideBelow: "sm", cellClassName: "text-sm" },
      cell: ({ row }) => <Time value={row.original.lastSignInAt} fallback="Never" />,
    },
  ];
  if (canManage) {
    columns.push({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      meta: { className: "text-right" },
      cell: ({ row }) =>
        row.original.userId === sole ? null : <RemoveMemberButton org={org} member={row.original} self={row.original.userId === selfId} />,
    });
  }
  return columns;
}

export function MembersTable({ org, members, canManage, selfId }: { org: string; members: MemberRow[]; canManage: boolean; selfId: string }) {
  const sole = soleOwner(members);
  const columns = useMemo(() => memberColumns(org, canManage, selfId, sole), [org, canManage, selfId, sole]);
  const soleEmail = members.find((m) => m.userId === sole)?.email;
  return (
    <div className="space-y-2">
      <DataTable
        label="Members"
        columns={columns}
        data={members}
        getRowId={(m) => m.userId}
        sorting="client"
        defaultSort={MEMBER_SORT}
        rowTestId="member-row"
        empty={
          <div className="flex flex-col items-center gap-2 rounded-md border border-dashed p-8 text-center">
            <Users className="size-6 text-muted-foreground" aria-hidden />
            <p className="font-medium">No members</p>
          </div>
        }
      />
      {canManage && soleEmail ? (
        <p className="text-sm text-muted-foreground" data-testid="sole-owner-note">
          {soleEmail} is the only owner, so their role cannot change and they cannot leave. Make another member an owner first.
        </p>
      ) : null}
    </div>
  );
}

function MemberRoleSelect({ org, member }: { org: string; member: MemberRow }) {
  const [pending, startTransition] = useTransition();
  const who = member.name ?? member.email;
  return (
    <RoleSelect
      value={member.role}
      label={`Role of ${who}`}
      disabled={pending}
      className="h-8 w-[6.75rem] @xl:w-28"
      onChange={(role) =>
        startTransition(async () => {
          const result = await changeRoleAction({ org, userId: member.userId, role });
          if (result.ok) {
            if (result.data.changed) toast.success(`${who} is now ${ROLE_LABEL[role].toLowerCase()}`);
          } else toast.error(result.error);
        })
      }
    />
  );
}

function RemoveMemberButton({ org, member, self }: { org: string; member: MemberRow; self: boolean }) {
  const router = useRouter();
  const who = member.name ?? member.email;
  return (
    <ConfirmAction
      trigger={
        <Button variant="outline" size="sm" aria-label={self ? "Leave this organization" : `Remove ${who}`}>
          <UserMinus className="size-4 @xl:hidden" aria-hidden />
          <span className="hidden @xl:inline">{self ? "Leave" : "Remove"}</span>
        </Button>
      }
      title={self ? "Leave this organization?" : `Remove ${who}?`}
      description={
        self
          ? "You lose access at once. Only another owner can invite you back."
          : `${member.email} loses access to this organization at once. Their account stays; invite them again to give access back.`
      }
      confirmLabel={self ? "Leave" : "Remove member"}
      pendingLabel={self ? "Leaving…" : "Removing…"}
      variant="destructive"
      action={() => removeMemberAction({ org, userId: member.userId })}
      onSuccess={(data) => (data.self ? router.push("/") : toast.success(`${who} was removed`))}
    />
  );
}

function inviteColumns(org: string, canManage: boolean): ColumnDef<PendingInvite>[] {
  const columns: ColumnDef<PendingInvite>[] = [
    { accessorKey: "email", header: "Email", meta: { className: "max-w-[8.5rem] @xl:max-w-xs", cellClassName: "truncate font-medium" } },
    { accessorKey: "role", header: "Role", cell: ({ row }) => <RoleBadge role={row.original.role} /> },
    {
      accessorKey: "createdAt",
      header: "Invited",
      sortingFn: "datetime",
      meta: { hideBelow: "md", cellClassName: "text-sm" },
      cell: ({ row }) => (
        <>
          <Time value={row.original.createdAt} />
          {row.original.invitedBy ? <div className="text-xs text-muted-foreground">by {row.original.invitedBy}</div> : null}
        </>
      ),
    },
    {
      accessorKey: "expiresAt",
      header: "Expires",
      sortingFn: "datetime",
      meta: { hideBelow: "sm", cellClassName: "text-sm" },
      cell: ({ row }) => <Time value={row.original.expiresAt} />,
    },
  ];
  if (canManage) {
    columns.push({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      meta: { className: "text-right" },
      cell: ({ row }) => <RevokeInviteButton org={org} invite={row.original} />,
    });
  }
  return columns;
}

export function PendingInvitesCard({ org, invites, canManage }: { org: string; invites: PendingInvite[]; canManage: boolean }) {
  const columns = useMemo(() => inviteColumns(org, canManage), [org, canManage]);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Pending invites</CardTitle>
        <CardDescription>
          Each link works once, for 7 days. Inviting the same address again replaces its link{canManage ? "; revoke a link you sent by mistake" : ""}.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <DataTable
          label="Pending invites"
          columns={columns}
          data={invites}
          getRowId={(i) => i.id}
          sorting="client"
          defaultSort={INVITE_SORT}
          paramPrefix="invites."
          surface="card"
          rowTestId="invite-row"
          empty={
            <div className="flex flex-col items-center gap-2 rounded-md border border-dashed p-6 text-center">
              <MailCheck className="size-6 text-muted-foreground" aria-hidden />
              <p className="text-sm text-muted-foreground">No pending invites.{canManage ? " Use Invite member to add someone." : ""}</p>
            </div>
          }
        />
      </CardContent>
    </Card>
  );
}

function RevokeInviteButton({ org, invite }: { org: string; invite: PendingInvite }) {
  return (
    <ConfirmAction
      trigger={
        <Button variant="outline" size="sm" aria-label={`Revoke the invite to ${invite.email}`}>
          <XCircle className="size-4 @xl:hidden" aria-hidden />
          <span className="hidden @xl:inline">Revoke</span>
        </Button>
      }
      title={`Revoke the invite to ${invite.email}?`}
      description="The link stops working at once. You can invite the address again later."
      confirmLabel="Revoke invite"
      pendingLabel="Revoking…"
      variant="destructive"
      action={() => revokeInviteAction({ org, inviteId: invite.id })}
      onSuccess={() => toast.success(`Invite to ${invite.email} revoked`)}
    />
  );
}
