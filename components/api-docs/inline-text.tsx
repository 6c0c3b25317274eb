/** Text with `code` spans, as the document's descriptions write them (Markdown's backticks, nothing else). */
export function InlineText({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          // The parts' order is the text's: their position is their identity.
          <code key={index} className="rounded bg-zinc-100 px-1 font-mono text-[0.9em] text-zinc-800">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
