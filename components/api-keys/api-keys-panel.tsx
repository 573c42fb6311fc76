"use client";

import { Copy, KeyRound, Plus } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/(dashboard)/[org]/settings/api-keys/actions";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
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
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ApiKeySummary } from "@/lib/api-keys/manage";
import { formatDateTime } from "@/lib/format";

type Scope = "ORGANIZATION" | "PLATFORM";

export function ApiKeysPanel(props: {
  org: string;
  scope: Scope;
  title: string;
  description: string;
  keys: ApiKeySummary[];
  canManage: boolean;
}) {
  const { org, scope, title, description, keys, canManage } = props;
  const label = scope === "PLATFORM" ? "platform key" : "organization key";
  return (
    <Card data-testid={`api-keys-${scope.toLowerCase()}`}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
        {canManage ? (
          <CardAction>
            <CreateKeyDialog org={org} scope={scope} label={label} />
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent>
        {keys.length === 0 ? (
          <div className="flex flex-col items-center gap-2 rounded-md border border-dashed p-8 text-center">
            <KeyRound className="size-6 text-muted-foreground" aria-hidden />
            <p className="font-medium">No {label}s yet</p>
            <p className="text-sm text-muted-foreground">
              {canManage ? `Create a ${label} to call the API.` : "Owners and admins can create keys."}
            </p>
          </div>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Status</TableHead>
                {canManage ? <TableHead className="sr-only">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.map((key) => (
                <TableRow key={key.id}>
                  <TableCell className="font-medium">{key.name}</TableCell>
                  <TableCell className="font-mono text-xs">{key.prefix}…</TableCell>
                  <TableCell className="text-sm">
                    {formatDateTime(key.createdAt)}
                    {key.createdBy ? <div className="text-xs text-muted-foreground">by {key.createdBy}</div> : null}
                  </TableCell>
                  <TableCell className="text-sm">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}</TableCell>
                  <TableCell>
                    {key.revokedAt ? <Badge variant="secondary">Revoked</Badge> : <Badge variant="success">Active</Badge>}
                  </TableCell>
                  {canManage ? (
                    <TableCell className="text-right">
                      {key.revokedAt ? null : <RevokeKeyButton org={org} id={key.id} name={key.name} />}
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function CreateKeyDialog({ org, scope, label }: { org: string; scope: Scope; label: string }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setName("");
      setError(null);
      setCreated(null);
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createApiKeyAction({ org, name, scope });
      if (result.ok) {
        setCreated(result.data.key);
        setError(null);
      } else {
        setError(result.fieldErrors?.name?.[0] ?? result.error);
      }
    });
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
            <div className="flex items-center gap-2">
              <Input readOnly value={created} aria-label="New API key" data-testid="new-api-key" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
              <Button
                type="button"
                variant="outline"
                size="icon"
                aria-label="Copy key"
                onClick={() => void navigator.clipboard?.writeText(created).then(() => toast.success("Key copied"))}
              >
                <Copy className="size-4" aria-hidden />
              </Button>
            </div>
            <DialogFooter>
              <Button onClick={() => reset(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={submit} className="grid gap-4">
            <DialogHeader>
              <DialogTitle>New {label}</DialogTitle>
              <DialogDescription>Name it after the system that will use it, so you know what to revoke later.</DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor={`key-name-${scope}`}>Name</Label>
              <Input
                id={`key-name-${scope}`}
                value={name}
                onChange={(e) => setName(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `key-name-${scope}-error` : undefined}
                autoFocus
              />
              {error ? (
                <p id={`key-name-${scope}-error`} className="text-sm text-destructive">
                  {error}
                </p>
              ) : null}
            </div>
            <DialogFooter>
              <Button type="submit" disabled={pending}>
                {pending ? "Creating…" : "Create key"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function RevokeKeyButton({ org, id, name }: { org: string; id: string; name: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm">
          Revoke
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke “{name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Requests with this key are refused from now on. This cannot be undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await revokeApiKeyAction({ org, id });
                if (result.ok) toast.success(`Key “${name}” revoked`);
                else toast.error(result.error);
              })
            }
          >
            Revoke key
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
