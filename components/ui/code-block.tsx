import { CopyButton } from "@/components/ui/copy-button";

/** A titled block of code or JSON with a copy button; long lines scroll inside the block, never the page. */
export function CodeBlock({ title, code, copyLabel, testId }: { title: string; code: string; copyLabel: string; testId?: string }) {
  return (
    <div className="min-w-0 rounded-lg border" data-testid={testId}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b px-3 py-2">
        <h3 className="text-sm font-medium">{title}</h3>
        <CopyButton value={code} label={copyLabel} />
      </div>
      <pre className="max-h-[32rem] overflow-auto p-3 text-xs leading-relaxed" tabIndex={0}>
        <code>{code}</code>
      </pre>
    </div>
  );
}
