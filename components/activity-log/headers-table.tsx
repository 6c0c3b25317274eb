/** Name beside value; on phones the name above its value, so a long value gets the full width. */
export function HeadersTable({ headers, label }: { headers: Record<string, string>; label: string }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="text-sm text-zinc-500">No headers.</p>;
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200">
      <table className="w-full text-left font-mono text-xs max-md:block" aria-label={label}>
        <tbody className="divide-y divide-zinc-100 max-md:block">
          {entries.map(([key, value]) => (
            <tr key={key} className="max-md:block">
              <th
                scope="row"
                className="w-1/3 bg-zinc-50 px-3 py-1.5 align-top font-semibold whitespace-nowrap text-zinc-700 max-md:block max-md:w-full max-md:whitespace-normal max-md:[overflow-wrap:anywhere]"
              >
                {key}
              </th>
              <td className="px-3 py-1.5 [overflow-wrap:anywhere] text-zinc-900 max-md:block">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
