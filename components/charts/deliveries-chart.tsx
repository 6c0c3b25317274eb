'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type ChartPoint, formatCount } from './chart-data';

const SERIES = [
  { key: 'delivered', name: 'Delivered', color: '#10b981' },
  { key: 'retrying', name: 'Failed attempts, retried', color: '#f59e0b' },
  { key: 'failed', name: 'Failed deliveries', color: '#ef4444' },
  { key: 'filtered', name: 'Filtered', color: '#a1a1aa' },
] as const;

/** Per interval, stacked: deliveries by outcome, failed attempts still to be retried, events filtered out. */
export function DeliveriesChart({
  points,
  name,
  height = 240,
}: {
  points: ChartPoint[];
  name: string;
  height?: number;
}) {
  const total = points.reduce((sum, p) => sum + p.delivered + p.failed + p.retrying + p.filtered, 0);
  return (
    <div role="img" aria-label={`${name}: ${total} in all`} style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e4e7" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#71717a' }} interval="preserveStartEnd" minTickGap={12} />
          <YAxis
            allowDecimals={false}
            tickFormatter={formatCount}
            width={48}
            tick={{ fontSize: 11, fill: '#71717a' }}
          />
          <Tooltip cursor={{ fill: '#f4f4f5' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((series) => (
            <Bar
              key={series.key}
              dataKey={series.key}
              name={series.name}
              stackId="outcome"
              fill={series.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
