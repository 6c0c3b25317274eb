export function HeadersTable({ headers, label }: { headers: Record<string, string>; label: string }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="text-sm text-zinc-500">No headers.</p>;
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200">
      <table className="w-full text-left font-mono text-xs" aria-label={label}>
        <tbody className="divide-y divide-zinc-100">
          {entries.map(([key, value]) => (
            <tr key={key}>
              <th
                scope="row"
                className="w-1/3 bg-zinc-50 px-3 py-1.5 align-top font-semibold whitespace-nowrap text-zinc-700"
              >
                {key}
              </th>
              <td className="px-3 py-1.5 [overflow-wrap:anywhere] text-zinc-900">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
