"use client";

import { useState, useTransition } from "react";
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
import type { ActionResult } from "@/lib/actions/define-action";

export interface ConfirmActionProps<T> {
  /** The button that opens the dialog. Without one, `open` and `onOpenChange` open it from elsewhere (a menu item, a switch). */
  trigger?: React.ReactElement;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: React.ReactNode;
  /** What happens if the user confirms; may hold blocks (a list, the endpoint's URL). */
  description: React.ReactNode;
  confirmLabel: React.ReactNode;
  /** The confirm button's label while the action runs; the confirm label when omitted. */
  pendingLabel?: React.ReactNode;
  cancelLabel?: React.ReactNode;
  variant?: "default" | "destructive";
  /** The server action to run, called with its input already bound. */
  action: () => Promise<ActionResult<T>>;
  /** After the action succeeded and the dialog closed: a toast, a navigation, a refresh. */
  onSuccess?: (data: T) => void;
}

/**
 * Asks before a server action, then runs it: the dialog stays open while the action runs (both
 * buttons disabled, Escape ignored), shows the action's error inside itself on failure so the user
 * can retry or cancel, and closes on success. Focus, Escape and the focus trap are Radix's; Cancel
 * takes the focus when it opens, so Enter on a freshly opened dialog never confirms.
 */
export function ConfirmAction<T>({
  trigger,
  open: controlledOpen,
  onOpenChange,
  title,
  description,
  confirmLabel,
  pendingLabel,
  cancelLabel = "Cancel",
  variant = "default",
  action,
  onSuccess,
}: ConfirmActionProps<T>) {
  const [ownOpen, setOwnOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const open = controlledOpen ?? ownOpen;

  function show(next: boolean) {
    setError(null);
    setOwnOpen(next);
    onOpenChange?.(next);
  }

  function confirm(event: React.MouseEvent) {
    // Radix's Action closes the dialog on click; this one waits for the action's answer.
    event.preventDefault();
    setError(null);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) return setError(result.error);
      show(false);
      onSuccess?.(result.data);
    });
  }

  return (
    <AlertDialog open={open} onOpenChange={(next) => (pending && !next ? undefined : show(next))}>
      {trigger ? <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger> : null}
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription asChild>
            <div>{description}</div>
          </AlertDialogDescription>
        </AlertDialogHeader>
        {error ? (
          <p role="alert" className="text-center text-sm break-words text-destructive sm:text-left" data-testid="confirm-action-error">
            {error}
          </p>
        ) : null}
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>{cancelLabel}</AlertDialogCancel>
          <AlertDialogAction variant={variant} disabled={pending} onClick={confirm}>
            {pending && pendingLabel ? pendingLabel : confirmLabel}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
