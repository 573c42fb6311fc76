"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { setEventTypeArchivedAction } from "@/actions/catalog";
import { Button } from "@/components/ui/button";

export function ArchiveEventTypeButton({ name, archived }: { name: string; archived: boolean }) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="outline"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await setEventTypeArchivedAction({ name, archived: !archived });
          if (result.ok) toast.success(result.data.archived ? `${name} archived: it can no longer be chosen for new subscriptions` : `${name} restored`);
          else toast.error(result.error);
        })
      }
    >
      {archived ? "Restore" : "Archive"}
    </Button>
  );
}
