/**
 * The Content-Security-Policy of the admin UI's pages, with a fresh nonce per response (proxy.ts).
 *
 * - Scripts: only those carrying the nonce — Next.js puts it on its own inline and bundle scripts
 *   — and, through 'strict-dynamic', what those scripts load themselves (Monaco's loader and its
 *   modules from /monaco). An injected <script> has no nonce and does not run. No 'unsafe-eval':
 *   neither Next.js in production nor Monaco needs it (the e2e suite listens for violations).
 * - Styles: 'unsafe-inline', because Monaco writes style attributes and <style> elements at run
 *   time that no nonce can cover; CSS cannot run code.
 * - Monaco's web workers start from blob: URLs; nothing else may be framed, embedded or posted to.
 */

export interface PolicyOptions {
  nonce: string;
  /** `next dev` evaluates code to rebuild server error stacks in the browser. */
  development?: boolean;
  /** Served over HTTPS (HERALD_SECURE_COOKIES): stray http:// subresources are upgraded. */
  https?: boolean;
}

export function contentSecurityPolicy({ nonce, development = false, https = false }: PolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}
