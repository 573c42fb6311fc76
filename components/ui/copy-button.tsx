"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

export function CopyButton({ value, label = "Copy", className }: { value: string | (() => Promise<string | null>); label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    const text = typeof value === "string" ? value : await value();
    if (text === null) return;
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success("Copied to the clipboard");
      setTimeout(() => setCopied(false), 1500);
    } catch {
      toast.error("The browser refused clipboard access; select the text and copy it instead.");
    }
  }
  return (
    <Button type="button" variant="outline" size="sm" onClick={() => void copy()} className={className}>
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      {label}
    </Button>
  );
}
