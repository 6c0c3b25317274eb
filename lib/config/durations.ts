const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses `0`, `500ms`, `30s`, `2m`, `5h`, `1d` (a bare number is milliseconds) into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration (use e.g. 0, 500ms, 30s, 2m, 5h, 1d)`);
  const amount = Number(match[1]);
  const unit = match[2] ?? 'ms';
  return Math.round(amount * (UNITS[unit] ?? 1));
}

/** A comma-separated list of delays: entry i is the wait before attempt i + 1. */
export function parseRetrySchedule(text: string): number[] {
  const delays = text.split(',').map(parseDuration);
  if (delays.length === 0) throw new Error('the retry schedule needs at least one entry');
  if (delays.length > 50) throw new Error('the retry schedule may hold at most 50 entries');
  return delays;
}
