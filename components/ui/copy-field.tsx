"use client";

import { Copy } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A value shown once to copy (a new API key, an invite link): read-only, selected on focus, with a copy button. */
export function CopyField({ value, label, copyLabel = `Copy ${label.toLowerCase()}`, copiedMessage, testId }: { value: string; label: string; copyLabel?: string; copiedMessage: string; testId?: string }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <Input readOnly value={value} aria-label={label} data-testid={testId} className="min-w-0 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
      <Button
        type="button"
        variant="outline"
        size="icon"
        className="shrink-0"
        aria-label={copyLabel}
        onClick={() => void navigator.clipboard?.writeText(value).then(() => toast.success(copiedMessage))}
      >
        <Copy className="size-4" aria-hidden />
      </Button>
    </div>
  );
}
