import path from 'node:path';
import { displayHost } from '../lib/config/display-host';
import { env } from '../lib/config/env';
import { handleApiNodeRequest, isApiTarget } from '../lib/server/api-server';
import { createHttpServer, httpServerSettings } from '../lib/server/http-server';
import { parseTracingConfig } from '../lib/tracing/config';
import { startTracing, stopTracing } from '../lib/tracing/tracing';

/**
 * The web app's HTTP server: a plain node:http server, started by `npm start` and `npm run web` in
 * place of `next start`, for the reason written at the top of lib/server/api-server.ts (Herald must
 * own the socket). Each request gets the socket's address (or, with HERALD_TRUST_PROXY=true, the
 * one the proxy reported) before anything sees it (lib/auth/client-address.ts), and the server
 * holds the socket limits of lib/server/http-server.ts. The HTTP API is answered here; the admin
 * UI goes to Next.js's request handler.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = env();
  // OpenTelemetry, when an OTLP endpoint is set: before the first request can come in.
  await startTracing(parseTracingConfig());
  // Set before Next.js and React load: they pick their production builds from it.
  Object.assign(process.env, { NODE_ENV: 'production' });
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: ROOT, port: config.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createHttpServer((request, response) => {
    // The API's one door: /v2, /oauth, /content and /healthz never reach Next.js.
    if (isApiTarget(request.url ?? '/')) return void handleApiNodeRequest(request, response);
    handle(request, response).catch((error: Error) => {
      console.error(`[web] request failed: ${error.stack ?? error.message}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  }, httpServerSettings(config));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  console.log(`[web] ready on ${config.HOST ? `${displayHost(config.HOST)}:` : 'port '}${config.PORT}`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Finish what is in flight, then go; a request that hangs does not hold the process.
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    server.close(() => void stopTracing().finally(() => process.exit(0)));
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: Error) => {
  console.error(`[web] could not start: ${error.stack ?? error.message}`);
  process.exit(1);
});
