import type { ReactNode } from 'react';

export interface DataTableColumn {
  label: string;
  /** Width and alignment classes of the header cell (`w-36`, `text-right`). */
  className?: string;
  /** Read by screen readers only (an actions column). */
  hidden?: boolean;
}

/**
 * The admin UI's list table: a bordered card that scrolls sideways on narrow screens, a caption
 * for screen readers, one header row, and rows (the caller's `<tr>`s) divided by hairlines.
 * `minWidth` and `bodyClassName` take Tailwind classes written out in full by the caller.
 */
export function DataTable({
  caption,
  columns,
  minWidth,
  fixed = false,
  bodyClassName = '',
  children,
}: {
  caption: string;
  columns: readonly DataTableColumn[];
  minWidth: string;
  /** Column widths from the header, not the content (long values wrap instead of widening). */
  fixed?: boolean;
  bodyClassName?: string;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-sm">
      <table className={`w-full ${minWidth} ${fixed ? 'table-fixed ' : ''}text-left text-sm`}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-500 uppercase">
          <tr>
            {columns.map((column) => (
              <th
                key={column.label}
                scope="col"
                className={`${column.className ? `${column.className} ` : ''}px-4 py-2.5`}
              >
                {column.hidden ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`divide-y divide-zinc-100${bodyClassName ? ` ${bodyClassName}` : ''}`}>{children}</tbody>
      </table>
    </div>
  );
}
