import { Agent, request } from 'undici';
import { amplienceSignature, standardWebhookSignature } from '../lib/signing/signatures';
import { eventBody } from './load';

/**
 * The ceiling: the same signed POSTs Herald sends (body, both signatures), from a bare undici
 * loop with as many requests in flight as a worker has slots, to the same receiver. No queue, no
 * database, no durability: what this machine's HTTP between two processes allows.
 */
export async function ceilingRun(
  receiverUrl: string,
  count: number,
  webhooks: number,
  inFlight = 200,
): Promise<number> {
  const agent = new Agent({ connections: Math.ceil(inFlight / 4) });
  const secret = 'x'.repeat(128);
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const index = next++;
        const body = JSON.stringify(eventBody(index, Date.now()));
        const id = `msg_${index}`;
        const timestamp = Math.floor(Date.now() / 1000);
        const response = await request(`${receiverUrl}/w/${index % webhooks}`, {
          dispatcher: agent,
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'x-amplience-webhook-signature': amplienceSignature(body, secret),
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': standardWebhookSignature(id, timestamp, body, [secret]),
          },
        });
        await response.body.dump();
      }
    }),
  );
  const rate = count / ((Date.now() - started) / 1000);
  await agent.close();
  return rate;
}
