/** Pretty JSON when the text parses as JSON, the text as it is otherwise. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function CodeBlock({
  children,
  label,
  maxHeight = 'max-h-96',
}: {
  children: string;
  label?: string;
  maxHeight?: string;
}) {
  return (
    <section aria-label={label}>
      <pre
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        className={`${maxHeight} overflow-auto rounded-md border border-zinc-200 bg-zinc-950 p-3 font-mono text-xs leading-relaxed whitespace-pre text-zinc-100`}
      >
        {children}
      </pre>
    </section>
  );
}
