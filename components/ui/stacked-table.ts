/**
 * Classes for a table that is a table from the `md` breakpoint up and one card per row below it
 * (phones): the header row is hidden there and each cell shows its column's name before its value,
 * from the cell's `data-label`, so nothing needs a sideways scroll and a row's action stays on
 * screen. A wide table keeps its minimum width (and its own scroll) on larger screens only:
 * pass it as `md:min-w-[…]` beside `STACKED.table`.
 */
export const STACKED = {
  frame: 'rounded-lg border border-zinc-200 bg-white shadow-sm md:overflow-x-auto',
  table: 'w-full text-left text-sm max-md:block',
  head: 'border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-500 uppercase max-md:hidden',
  body: 'divide-y divide-zinc-100 max-md:block',
  row: 'max-md:block max-md:px-4 max-md:py-3',
  /** A cell with a `data-label`: on phones, "Label  value" on one line, the value wrapping. */
  cell: 'px-4 py-3 max-md:flex max-md:min-w-0 max-md:items-baseline max-md:gap-3 max-md:px-0 max-md:py-1 max-md:text-left max-md:before:w-24 max-md:before:shrink-0 max-md:before:font-sans max-md:before:text-xs max-md:before:font-medium max-md:before:text-zinc-500 max-md:before:content-[attr(data-label)]',
  /** A cell whose content speaks for itself (a row's actions, its title): full width on phones. */
  bare: 'px-4 py-3 max-md:block max-md:px-0 max-md:py-1',
} as const;
