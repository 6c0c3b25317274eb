import Link from 'next/link';
import type { StatsRange } from '@/lib/activity-log/delivery-stats';

const RANGES: { range: StatsRange; label: string }[] = [
  { range: '24h', label: 'Last 24 hours' },
  { range: '30d', label: 'Last 30 days' },
];

/** Switches a page's charts between 24 hours (per hour) and 30 days (per day), through the URL. */
export function RangeSwitch({ current, href }: { current: StatsRange; href: (range: StatsRange) => string }) {
  return (
    <nav aria-label="Chart range" className="inline-flex rounded-md border border-zinc-200 bg-white p-0.5">
      {RANGES.map(({ range, label }) => (
        <Link
          key={range}
          href={href(range)}
          aria-current={range === current ? 'true' : undefined}
          className={`rounded px-2.5 py-1 text-xs font-medium ${
            range === current ? 'bg-indigo-50 text-indigo-700' : 'text-zinc-600 hover:text-zinc-900'
          }`}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}

export function parseRange(value: string | undefined): StatsRange {
  return value === '30d' ? '30d' : '24h';
}
