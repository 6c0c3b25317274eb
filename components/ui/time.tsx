const ABSOLUTE = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'UTC',
});

export function formatAbsolute(date: Date): string {
  return `${ABSOLUTE.format(date)} UTC`;
}

export function formatRelative(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  let text: string;
  if (abs < 45) text = `${abs}s`;
  else if (abs < 45 * 60) text = `${Math.round(abs / 60)} min`;
  else if (abs < 36 * 3600) text = `${Math.round(abs / 3600)} h`;
  else text = `${Math.round(abs / 86400)} d`;
  if (abs < 5) return 'just now';
  return future ? `in ${text}` : `${text} ago`;
}

/** A time shown relative to the render ("3 min ago"), the exact time on hover. Server components only. */
export function Time({ date }: { date: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatAbsolute(date)} className="whitespace-nowrap">
      {formatRelative(date)}
    </time>
  );
}
