import type { ReactNode } from 'react';
import { STACKED } from './stacked-table';

export interface DataTableColumn {
  label: string;
  /** Width and alignment classes of the header cell (`w-36`, `text-right`). */
  className?: string;
  /** Read by screen readers only (an actions column). */
  hidden?: boolean;
}

/**
 * The admin UI's list table: a bordered card with a caption for screen readers, one header row and
 * the caller's rows divided by hairlines. On phones it stacks (see STACKED): the rows use
 * `STACKED.row`, and their cells `STACKED.cell` with a `data-label` or `STACKED.bare`.
 * `minWidth` (`md:min-w-[760px]`) is written out in full by the caller, so Tailwind sees it.
 */
export function DataTable({
  caption,
  columns,
  minWidth,
  fixed = false,
  bodyClassName,
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
    <div className={STACKED.frame}>
      <table className={`${STACKED.table} ${minWidth}${fixed ? ' md:table-fixed' : ''}`}>
        <caption className="sr-only">{caption}</caption>
        <thead className={STACKED.head}>
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
        <tbody className={bodyClassName ? `${STACKED.body} ${bodyClassName}` : STACKED.body}>{children}</tbody>
      </table>
    </div>
  );
}
