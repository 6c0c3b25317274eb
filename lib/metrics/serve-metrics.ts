import http from 'node:http';
import { displayHost } from '../config/display-host';
import { errorMessage } from '../errors';
import type { Logger } from '../logger';
import { metricsResponse } from './metrics-endpoint';

/**
 * A worker's own GET /metrics (the web app serves the web's). A port already taken (a second
 * worker on this machine) is logged and skipped: metrics must never stop deliveries. `host` is
 * the bind address (HOST); without it, every interface.
 */
export async function serveWorkerMetrics(port: number, log: Logger, host?: string): Promise<http.Server | null> {
  if (port === 0) return null;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    metricsResponse(req.headers.authorization ?? null)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(await response.text());
      })
      .catch((error: unknown) => {
        log.warn(`metrics failed: ${errorMessage(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('metrics unavailable\n');
      });
  });
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      log.warn(`worker metrics not served on port ${port} (${error.code ?? error.message})`);
      resolve(null);
    });
    server.listen(port, host, () => {
      log.info(`worker metrics on http://${displayHost(host)}:${port}/metrics`);
      resolve(server);
    });
  });
}
