'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type ChartPoint, formatDuration } from './chart-data';

/** Emit-to-2xx latency, p50 and p95 per interval (gaps where nothing was delivered). */
export function LatencyChart({ points, name, height = 240 }: { points: ChartPoint[]; name: string; height?: number }) {
  const worst = Math.max(0, ...points.map((point) => point.p95 ?? 0));
  return (
    <div role="img" aria-label={`${name}: p95 at most ${formatDuration(worst)}`} style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e4e7" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#71717a' }} interval="preserveStartEnd" minTickGap={12} />
          <YAxis tickFormatter={formatDuration} width={56} tick={{ fontSize: 11, fill: '#71717a' }} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? formatDuration(value) : String(value))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line
            dataKey="p50"
            name="p50"
            stroke="#6366f1"
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
          <Line
            dataKey="p95"
            name="p95"
            stroke="#f43f5e"
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
