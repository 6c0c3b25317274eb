import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The benchmark's receiving end, in a process of its own so it does not share Herald's CPU time.
 * It answers 204 to every delivery and keeps, per run, the count and the emit-to-receipt latency
 * (each event's payload carries `emittedAt`).
 */
let latencies: number[] = [];
let received = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ received, latencies }));
    return;
  }
  if (req.method === 'POST' && req.url === '/reset') {
    latencies = [];
    received = 0;
    res.writeHead(204).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const now = Date.now();
    received++;
    const match = /"emittedAt":\s*"?(\d+)/.exec(Buffer.concat(chunks).toString('utf8'));
    if (match?.[1]) latencies.push(now - Number(match[1]));
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
