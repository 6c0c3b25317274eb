import type { EventAnswer } from './types';

/**
 * The 202's body for the events of one request: `{ id, sequenceId, deliveries }` for one event,
 * `{ events: [...] }` for a batch. Fresh answers and stored ones are both built here, so a replay
 * has the same keys in the same order and serialises to the same bytes.
 */
export function requestAnswer(events: readonly EventAnswer[], batch: boolean): unknown {
  const answers = events.map(({ id, sequenceId, deliveries }) => ({
    id,
    sequenceId,
    deliveries: deliveries.map(({ id, webhookId, status }) => ({ id, webhookId, status })),
  }));
  return batch ? { events: answers } : answers[0];
}

/**
 * A stored answer whose sequenceIds count from the hub's counter before the commit (the emit
 * stores them so: they are known only under the hub's lock), made absolute again.
 */
export function shiftedAnswer(answer: unknown, base: number): unknown {
  const shift = (event: unknown) => {
    if (event && typeof event === 'object' && 'sequenceId' in event && typeof event.sequenceId === 'number')
      event.sequenceId += base;
  };
  if (answer && typeof answer === 'object' && 'events' in answer && Array.isArray(answer.events))
    answer.events.forEach(shift);
  else shift(answer);
  return answer;
}
