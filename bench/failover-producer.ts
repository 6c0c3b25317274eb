import { Agent, request } from 'undici';

/**
 * The drill's producer, careful as a production one is: each event has its own Idempotency-Key,
 * kept across its retries; a 503 is retried after its Retry-After, a refused or reset connection
 * after a second, each retry on the other web server (what a load balancer would do). It sends
 * open loop at a fixed rate, so an outage piles up retries instead of slowing the schedule.
 */

export interface ProducerOptions {
  targets: readonly string[];
  token: string;
  hubId: string;
  eventName: string;
  ratePerSecond: number;
  seconds: number;
  runId: string;
  /** An event still not accepted this long after its first try is given up (counted, not lost). */
  giveUpAfterMs: number;
}

export interface ProducerReport {
  sent: number;
  /** Payload ids answered 202 (at least once). */
  accepted: Set<string>;
  /** Every answer by status, and requests that got none (`no answer (CODE)`) by error code. */
  answers: Map<string, number>;
  /** When each 202 came, for the longest time without one. */
  acceptedAt: number[];
  startedAt: number;
  endedAt: number;
  gaveUp: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function produce(options: ProducerOptions): Promise<ProducerReport> {
  const agent = new Agent({ connections: 256, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const report: ProducerReport = {
    sent: 0,
    accepted: new Set(),
    answers: new Map(),
    acceptedAt: [],
    startedAt: Date.now(),
    endedAt: 0,
    gaveUp: 0,
  };
  const count = (answer: string) => report.answers.set(answer, (report.answers.get(answer) ?? 0) + 1);

  const sendOne = async (index: number): Promise<void> => {
    const id = `${options.runId}-${index}`;
    const body = JSON.stringify({ name: options.eventName, payload: { id, emittedAt: Date.now() } });
    const firstTry = Date.now();
    for (let attempt = 0; Date.now() - firstTry < options.giveUpAfterMs; attempt++) {
      const target = options.targets[(index + attempt) % options.targets.length];
      let waitMs = 1000;
      try {
        const response = await request(`${target}/v2/content/hubs/${options.hubId}/events`, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            'idempotency-key': id,
          },
          body,
        });
        await response.body.dump();
        count(String(response.statusCode));
        if (response.statusCode === 202) {
          report.accepted.add(id);
          report.acceptedAt.push(Date.now());
          return;
        }
        const retryAfter = Number(response.headers['retry-after']);
        if (Number.isFinite(retryAfter) && retryAfter > 0) waitMs = retryAfter * 1000;
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as Error).name;
        // Refused, reset or closed before any answer: the request may or may not have arrived.
        count(`no answer (${code})`);
      }
      await sleep(waitMs);
    }
    report.gaveUp++;
  };

  const total = Math.round(options.ratePerSecond * options.seconds);
  const intervalMs = 1000 / options.ratePerSecond;
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = report.startedAt + index * intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    report.sent++;
    inFlight.push(sendOne(index));
  }
  await Promise.all(inFlight);
  report.endedAt = Date.now();
  await agent.close();
  return report;
}

/** The longest stretch of the run with no 202: from the first send to the first 202, or between two. */
export function longestWithoutAccept(report: ProducerReport): number {
  const times = [report.startedAt, ...[...report.acceptedAt].sort((a, b) => a - b)];
  let longest = 0;
  for (let index = 1; index < times.length; index++) {
    longest = Math.max(longest, (times[index] ?? 0) - (times[index - 1] ?? 0));
  }
  return longest;
}
