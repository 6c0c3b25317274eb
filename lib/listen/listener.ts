import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryWebhook } from './delivery-webhook';
import { verifySignatures } from './verify-signatures';

/**
 * `npm run herald -- listen`: a receiver for trying Herald on one machine. It prints one line per
 * request (the event, the webhook, the status it answered) and answers as a receiver that checks
 * signatures should: 204 when both verify with the webhook's secret, 401 when not.
 */

export interface ListenerOptions {
  port: number;
  host: string;
  /** The webhook of the delivery named by `webhook-id`, or null when there is no such delivery. */
  findWebhook(deliveryId: string): Promise<DeliveryWebhook | null>;
  print(line: string): void;
}

export interface Listener {
  url: string;
  close(): Promise<void>;
}

/** Bodies above this are answered 413: Herald's own requests are far smaller. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function startListener(options: ListenerOptions): Promise<Listener> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        options.print(`${stamp()} ${req.method} ${req.url} → 413 (body over ${MAX_BODY_BYTES} bytes)`);
        res.writeHead(413).end();
        return;
      }
      answer(req, Buffer.concat(chunks).toString('utf8'), options)
        .then(({ status, line }) => {
          options.print(`${stamp()} ${line}`);
          res.writeHead(status).end();
        })
        .catch((error: Error) => {
          options.print(`${stamp()} ${req.method} ${req.url} → 500 (${error.message})`);
          res.writeHead(500).end();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(
  req: http.IncomingMessage,
  body: string,
  options: ListenerOptions,
): Promise<{ status: number; line: string }> {
  const deliveryId = header(req, 'webhook-id');
  const event = eventName(body);
  const found = deliveryId ? await options.findWebhook(deliveryId) : null;
  if (!found) {
    const why = deliveryId
      ? `no delivery ${deliveryId} in this Herald's database`
      : 'no webhook-id header: not a Herald delivery';
    return { status: 401, line: `${event} ${req.method} ${req.url} → 401 NOT verified: ${why}` };
  }
  const verdicts = verifySignatures(
    {
      body,
      amplienceSignature: header(req, 'x-amplience-webhook-signature'),
      webhookId: deliveryId,
      webhookTimestamp: header(req, 'webhook-timestamp'),
      webhookSignature: header(req, 'webhook-signature'),
    },
    found.secrets,
  );
  const what = `${event}  webhook ${found.webhookId} "${found.label}"  delivery ${deliveryId}`;
  const failures = [verdicts.amplience, verdicts.standard].filter((reason): reason is string => reason !== null);
  if (failures.length > 0) return { status: 401, line: `${what} → 401 NOT verified: ${failures.join('; ')}` };
  return { status: 204, line: `${what} → 204 verified (X-Amplience-Webhook-Signature and webhook-signature)` };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The standard envelope's `name`; a custom payload template may not carry one. */
function eventName(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'name' in parsed && typeof parsed.name === 'string') {
      return parsed.name;
    }
  } catch {
    // Not JSON: a custom payload template.
  }
  return '(custom payload)';
}

function stamp(): string {
  return new Date().toISOString().slice(11, 19);
}
