/**
 * Sent with every response Herald's API server writes itself; the same set next.config.ts gives
 * the pages Next.js serves, so an answer looks the same whichever side of the server wrote it.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};
