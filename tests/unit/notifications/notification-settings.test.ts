import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../lib/config/env';
import { notificationSettings } from '../../../lib/notifications/settings';
import { ZWebhookPatch } from '../../../lib/webhooks/types';

describe('notification settings', () => {
  it('defaults: no SMTP, one email an hour, links to localhost on the port', () => {
    expect(notificationSettings(parseEnv({ PORT: '4000' }))).toEqual({
      smtpUrl: null,
      from: 'Herald <herald@localhost>',
      intervalMs: 3_600_000,
      publicUrl: 'http://localhost:4000',
    });
  });

  it('reads the interval like every other duration, and the public URL without a trailing slash', () => {
    const config = parseEnv({
      HERALD_SMTP_URL: 'smtp://user:pass@mail.example.com:587',
      HERALD_MAIL_FROM: 'Herald <ops@example.com>',
      HERALD_NOTIFY_INTERVAL: '15m',
      HERALD_PUBLIC_URL: 'https://herald.example.com/',
    });
    expect(notificationSettings(config)).toEqual({
      smtpUrl: 'smtp://user:pass@mail.example.com:587',
      from: 'Herald <ops@example.com>',
      intervalMs: 900_000,
      publicUrl: 'https://herald.example.com',
    });
    expect(parseEnv({ HERALD_SMTP_URL: 'smtps://mail.example.com:465?tls.servername=x' }).HERALD_SMTP_URL).toBe(
      'smtps://mail.example.com:465?tls.servername=x',
    );
  });

  it('stops start-up naming each bad variable', () => {
    expect(() =>
      parseEnv({
        HERALD_SMTP_URL: 'http://mail.example.com',
        HERALD_NOTIFY_INTERVAL: 'hourly',
        HERALD_PUBLIC_URL: 'ftp://x',
      }),
    ).toThrow(/HERALD_SMTP_URL[\s\S]*HERALD_NOTIFY_INTERVAL[\s\S]*HERALD_PUBLIC_URL/);
    expect(() => parseEnv({ HERALD_SMTP_URL: 'smtp://' })).toThrow(/HERALD_SMTP_URL/);
  });
});

describe('a webhook’s notifications', () => {
  const parse = (notifications: unknown) => ZWebhookPatch.safeParse({ notifications });

  it('takes one address', () => {
    expect(parse([{ email: ' ops@example.com ' }]).data).toEqual({ notifications: [{ email: 'ops@example.com' }] });
    expect(parse([]).success).toBe(true);
  });

  it('refuses a second one with the Management API’s words', () => {
    const result = parse([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['notifications', 'Cannot exceed the maximum of 1 notification'],
    ]);
  });

  it('refuses what is not an email address', () => {
    for (const email of ['ops', 'ops@', '@example.com', 'ops example@example.com', '']) {
      const result = parse([{ email }]);
      expect(result.error?.issues[0]?.path.join('.'), email).toBe('notifications.0.email');
    }
    expect(parse([{}]).error?.issues[0]?.message).toBe('email is required');
    expect(parse('ops@example.com').error?.issues[0]?.message).toBe('notifications must be a list of { "email": … }');
  });
});
