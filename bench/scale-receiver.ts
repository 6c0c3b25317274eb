import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * bench:scale's receiving end, in a process of its own: answers 204 to every delivery and keeps,
 * per delivery, when its event was emitted (the payload's `emittedAt`) and how long it took to
 * arrive, so the benchmark can look at the deliveries of any time window.
 */
let samples: [emittedAt: number, latencyMs: number][] = [];

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/samples') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(samples));
    samples = [];
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const now = Date.now();
    const match = /"emittedAt":(\d+)/.exec(Buffer.concat(chunks).toString('latin1'));
    if (match?.[1]) samples.push([Number(match[1]), now - Number(match[1])]);
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
