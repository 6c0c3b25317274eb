/**
 * A bind address as a person would type it in a URL: all interfaces read as localhost (what
 * reaches them from this machine), IPv6 literals in brackets.
 */
export function displayHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
