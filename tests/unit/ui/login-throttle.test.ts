import { beforeEach, describe, expect, it } from 'vitest';
import {
  checkLoginAllowed,
  clearLoginFailures,
  describeWait,
  LOGIN_WINDOW_MS,
  recordLoginFailure,
  resetLoginThrottle,
} from '../../../lib/auth/login-throttle';

describe('login throttle', () => {
  beforeEach(() => resetLoginThrottle());

  it('allows 5 failures per email and client, then refuses until the window passes', () => {
    const start = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(checkLoginAllowed('a@example.com', '10.0.0.1', start + i).allowed).toBe(true);
      recordLoginFailure('A@example.com', '10.0.0.1', start + i);
    }
    const refused = checkLoginAllowed('a@example.com', '10.0.0.1', start + 10);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: Math.ceil((LOGIN_WINDOW_MS - 10) / 1000) });
    // Another client, or another email, is not affected.
    expect(checkLoginAllowed('a@example.com', '10.0.0.2', start + 10).allowed).toBe(true);
    expect(checkLoginAllowed('b@example.com', '10.0.0.1', start + 10).allowed).toBe(true);
    // Once the oldest failure leaves the window, one more attempt is allowed.
    expect(checkLoginAllowed('a@example.com', '10.0.0.1', start + LOGIN_WINDOW_MS).allowed).toBe(true);
  });

  it('caps failures per email across client addresses', () => {
    for (let i = 0; i < 20; i++) recordLoginFailure('a@example.com', `10.0.0.${i}`, 5_000 + i);
    expect(checkLoginAllowed('a@example.com', '10.9.9.9', 6_000).allowed).toBe(false);
  });

  it('forgets the failures of a client that signs in', () => {
    for (let i = 0; i < 5; i++) recordLoginFailure('a@example.com', 'c', 1);
    clearLoginFailures('a@example.com', 'c');
    expect(checkLoginAllowed('a@example.com', 'c', 2).allowed).toBe(true);
  });

  it('describes the wait', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(40)).toBe('40 seconds');
    expect(describeWait(61)).toBe('2 minutes');
    expect(describeWait(60)).toBe('1 minute');
  });
});
