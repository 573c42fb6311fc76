import { CopyButton } from "@/components/webhooks/copy-button";

export function JsonBlock({ title, value, testId }: { title: string; value: unknown; testId?: string }) {
  const text = JSON.stringify(value, null, 2);
  return (
    <div className="rounded-lg border" data-testid={testId}>
      <div className="flex items-center justify-between border-b px-3 py-2">
        <h3 className="text-sm font-medium">{title}</h3>
        <CopyButton value={text} label="Copy JSON" />
      </div>
      <pre className="max-h-[32rem] overflow-auto p-3 text-xs leading-relaxed">
        <code>{text}</code>
      </pre>
    </div>
  );
}
