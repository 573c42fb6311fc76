/** A field's error messages, linked to its input by id (`aria-describedby`). */
export function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <p id={id} className="text-sm text-destructive" data-testid={`error-${id}`}>
      {messages.join(" ")}
    </p>
  );
}
