// A field's problems, under the field and named by aria-describedby, so each reads with its input.
export function FieldErrors({ id, name, messages }: { id: string; name: string; messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <ul id={id} className="field-error field-errors" data-testid={`field-error-${name}`} aria-live="polite">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}
