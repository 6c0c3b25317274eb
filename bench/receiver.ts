import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The benchmark's receiving end, in a process of its own so it does not share Herald's CPU time.
 * It answers 204 to every delivery and keeps, per run: how many arrived, how many distinct
 * deliveries that was (by `webhook-id`, which stays the same across retries), when the last one
 * came, and each one's emit-to-receipt latency (every payload carries `emittedAt`).
 */
let latencies: number[] = [];
let received = 0;
let distinct = new Set<string>();
let lastAt = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ received, distinct: distinct.size, lastAt, latencies }));
    return;
  }
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ received, distinct: distinct.size, lastAt }));
    return;
  }
  if (req.method === 'POST' && req.url === '/reset') {
    latencies = [];
    received = 0;
    distinct = new Set();
    lastAt = 0;
    res.writeHead(204).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const now = Date.now();
    received++;
    lastAt = now;
    const id = req.headers['webhook-id'];
    distinct.add(typeof id === 'string' ? id : `anonymous-${received}`);

    const match = /"emittedAt":\s*(\d+)/.exec(Buffer.concat(chunks).toString('latin1'));
    if (match?.[1]) latencies.push(now - Number(match[1]));
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
