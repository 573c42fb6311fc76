import { CodeBlock } from "@/components/ui/code-block";

export function JsonBlock({ title, value, testId }: { title: string; value: unknown; testId?: string }) {
  return <CodeBlock title={title} code={JSON.stringify(value, null, 2)} copyLabel="Copy JSON" testId={testId} />;
}
