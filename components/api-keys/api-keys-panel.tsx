"use client";

import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { KeyRound, Plus } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { createApiKeyAction, revokeApiKeyAction } from "@/actions/api-keys";
import { SdkExample } from "@/components/api-keys/sdk-example";
import { DataTable } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { FieldError } from "@/components/ui/field-error";
import { Label } from "@/components/ui/label";
import { Time } from "@/components/ui/time";
import { useActionForm } from "@/components/ui/use-action-form";
import type { SnippetEvent } from "@/lib/api/sdk-snippet";
import type { ApiKeySummary } from "@/lib/api-keys/manage";
import { createApiKeySchema } from "@/lib/validations/api-key";

type Scope = "ORGANIZATION" | "PLATFORM";

/** What the SDK example in the new-key dialog needs besides the key. */
export interface SnippetContext {
  serverUrl: string;
  event: SnippetEvent;
}

const DEFAULT_SORT: SortingState = [{ id: "createdAt", desc: true }];

function keyColumns(org: string, canManage: boolean): ColumnDef<ApiKeySummary>[] {
  const columns: ColumnDef<ApiKeySummary>[] = [
    {
      accessorKey: "name",
      header: "Name",
      meta: { className: "max-w-[12rem] @xl:max-w-xs", cellClassName: "font-medium" },
      // On a phone the key and status columns are hidden: the name cell carries the prefix and a revoked badge.
      cell: ({ row }) => (
        <div className="min-w-0">
          <p className="truncate" title={row.original.name}>
            {row.original.name}
          </p>
          <p className="flex flex-wrap items-center gap-1 @xl:hidden">
            <span className="font-mono text-xs font-normal text-muted-foreground">{row.original.prefix}…</span>
            {row.original.revokedAt ? <Badge variant="secondary">Revoked</Badge> : null}
          </p>
        </div>
      ),
    },
    {
      accessorKey: "prefix",
      header: "Key",
      enableSorting: false,
      meta: { hideBelow: "sm", cellClassName: "font-mono text-xs" },
      cell: ({ row }) => `${row.original.prefix}…`,
    },
    {
      accessorKey: "createdAt",
      header: "Created",
      sortingFn: "datetime",
      meta: { hideBelow: "md", cellClassName: "text-sm" },
      cell: ({ row }) => (
        <>
          <Time value={row.original.createdAt} />
          {row.original.createdBy ? <div className="text-xs text-muted-foreground">by {row.original.createdBy}</div> : null}
        </>
      ),
    },
    {
      id: "lastUsedAt",
      // Never-used keys sort as the oldest use.
      accessorFn: (key) => (key.lastUsedAt ? new Date(key.lastUsedAt).getTime() : 0),
      header: "Last used",
      meta: { hideBelow: "lg", cellClassName: "text-sm" },
      cell: ({ row }) => <Time value={row.original.lastUsedAt} fallback="Never" />,
    },
    {
      id: "status",
      accessorFn: (key) => (key.revokedAt ? "revoked" : "active"),
      header: "Status",
      meta: { hideBelow: "sm" },
      cell: ({ row }) => (row.original.revokedAt ? <Badge variant="secondary">Revoked</Badge> : <Badge variant="success">Active</Badge>),
    },
  ];
  if (canManage) {
    columns.push({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      meta: { className: "text-right" },
      cell: ({ row }) => (row.original.revokedAt ? null : <RevokeKeyButton org={org} id={row.original.id} name={row.original.name} />),
    });
  }
  return columns;
}

export function ApiKeysPanel(props: {
  org: string;
  scope: Scope;
  title: string;
  description: string;
  keys: ApiKeySummary[];
  canManage: boolean;
  snippet: SnippetContext | null;
}) {
  const { org, scope, title, description, keys, canManage, snippet } = props;
  const label = scope === "PLATFORM" ? "platform key" : "organization key";
  const columns = useMemo(() => keyColumns(org, canManage), [org, canManage]);
  return (
    <Card data-testid={`api-keys-${scope.toLowerCase()}`}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
        {canManage ? (
          <CardAction>
            <CreateKeyDialog org={org} scope={scope} label={label} snippet={snippet} />
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent>
        <DataTable
          label={title}
          columns={columns}
          data={keys}
          getRowId={(key) => key.id}
          sorting="client"
          defaultSort={DEFAULT_SORT}
          paramPrefix={scope === "PLATFORM" ? "platform." : ""}
          surface="card"
          empty={
            <div className="flex flex-col items-center gap-2 rounded-md border border-dashed p-8 text-center">
              <KeyRound className="size-6 text-muted-foreground" aria-hidden />
              <p className="font-medium">No {label}s yet</p>
              <p className="text-sm text-muted-foreground">
                {canManage ? `Create ${scope === "PLATFORM" ? "a" : "an"} ${label} to call the API.` : "Owners and admins can create keys."}
              </p>
            </div>
          }
        />
      </CardContent>
    </Card>
  );
}

function CreateKeyDialog({ org, scope, label, snippet }: { org: string; scope: Scope; label: string; snippet: SnippetContext | null }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const form = useActionForm(createApiKeyAction, { schema: createApiKeySchema, onSuccess: (data) => setCreated(data.key) });
  const nameId = `key-name-${scope}`;

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setName("");
      form.clearErrors();
      setCreated(null);
    }
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button size="sm">
          <Plus className="size-4" aria-hidden /> New {label}
        </Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Copy your new key</DialogTitle>
              <DialogDescription>
                This is the only time the key is shown. Store it in your secret manager now; if you lose it, revoke it
                and create another.
              </DialogDescription>
            </DialogHeader>
            <CopyField value={created} label="New API key" copyLabel="Copy key" copiedMessage="Key copied" testId="new-api-key" />
            {snippet ? (
              <details className="min-w-0 text-sm">
                <summary className="cursor-pointer rounded font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring">Try it with the SDK</summary>
                <div className="mt-2">
                  <SdkExample apiKey={created} app={org} {...snippet} copyLabel="Copy example with key" testId="new-key-sdk-example" />
                </div>
              </details>
            ) : null}
            <DialogFooter>
              <Button onClick={() => reset(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={form.handleSubmit(() => ({ org, name, scope }))} className="grid gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>New {label}</DialogTitle>
              <DialogDescription>Name it after the system that will use it, so you know what to revoke later.</DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor={nameId}>Name</Label>
              <Input id={nameId} value={name} onChange={(e) => setName(e.target.value)} {...form.ariaFor("name", { error: `${nameId}-error` })} autoFocus />
              <FieldError id={`${nameId}-error`} messages={form.errors.name} />
            </div>
            <FieldError id={`${nameId}-form-error`} messages={form.errors._form} />
            <DialogFooter>
              <Button type="submit" disabled={form.pending}>
                {form.pending ? "Creating…" : "Create key"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function RevokeKeyButton({ org, id, name }: { org: string; id: string; name: string }) {
  return (
    <ConfirmAction
      trigger={
        <Button variant="outline" size="sm">
          Revoke
        </Button>
      }
      title={`Revoke “${name}”?`}
      description="Requests with this key are refused from now on. This cannot be undone."
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      variant="destructive"
      action={() => revokeApiKeyAction({ org, id })}
      onSuccess={() => toast.success(`Key “${name}” revoked`)}
    />
  );
}
