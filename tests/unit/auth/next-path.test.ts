import { describe, expect, it } from 'vitest';
import { loginPathFor, safeNextPath } from '../../../lib/auth/next-path';

describe('safeNextPath', () => {
  it('keeps a relative path of this origin with its query and fragment', () => {
    expect(safeNextPath('/hubs/h1/webhooks/w1/activity?status=FAILED')).toBe(
      '/hubs/h1/webhooks/w1/activity?status=FAILED',
    );
    expect(safeNextPath('/users#pending')).toBe('/users#pending');
    expect(safeNextPath('/')).toBe('/');
  });

  it('normalizes dot segments without leaving the origin', () => {
    expect(safeNextPath('/hubs/../users')).toBe('/users');
    expect(safeNextPath('/../../etc')).toBe('/etc');
  });

  it.each([
    ['protocol-relative', '//evil.example/path'],
    ['protocol-relative with a backslash', '/\\evil.example'],
    ['backslashes only', '\\\\evil.example'],
    ['absolute https', 'https://evil.example/'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['a tab a browser would drop', '/\t/evil.example'],
    ['a newline', '/\n/evil.example'],
    ['a NUL', '/users\u0000'],
    ['DEL', '/users\u007f'],
    ['relative without a slash', 'users'],
    ['empty', ''],
    ['too long', `/${'a'.repeat(2048)}`],
    ['the sign-in page itself', '/login?next=/users'],
    ['the setup page', '/setup'],
    ['an invitation', '/invite/abc'],
  ])('refuses %s', (_name, value) => {
    expect(safeNextPath(value)).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(safeNextPath(undefined)).toBeNull();
    expect(safeNextPath(['/users'])).toBeNull();
  });
});

describe('loginPathFor', () => {
  it('carries the path, encoded', () => {
    expect(loginPathFor('/hubs/h1/webhooks?page=2')).toBe('/login?next=%2Fhubs%2Fh1%2Fwebhooks%3Fpage%3D2');
  });

  it('is the bare sign-in page for the home page or an unsafe path', () => {
    expect(loginPathFor('/')).toBe('/login');
    expect(loginPathFor('//evil.example')).toBe('/login');
    expect(loginPathFor(null)).toBe('/login');
  });
});
