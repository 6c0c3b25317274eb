import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy } from './lib/auth/content-security-policy';
import { REQUESTED_PATH_HEADER, requestedPath } from './lib/auth/requested-path';
import { env } from './lib/config/env';

/**
 * Gives every page of the admin UI a Content-Security-Policy with a nonce of its own. Next.js
 * reads the nonce from the request's copy of the header and puts it on the scripts it renders;
 * the pages are rendered per request anyway (they read the session), so a nonce costs nothing.
 * The other security headers, for every response, are in next.config.ts.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const policy = contentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV === 'development',
    https: env().HERALD_SECURE_COOKIES,
  });
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  // The page asked for, so a signed-out visit can be sent to /login?next=… and come back here
  // (lib/actions/session.ts). Set here, whatever a client sent under that name.
  headers.set(REQUESTED_PATH_HEADER, requestedPath(request.nextUrl));
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not the API, the token endpoint, the content API, the health check, nor static files.
      source: '/((?!_next/static|_next/image|favicon\\.ico|monaco/|v2/|oauth/|content/|healthz).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
