import { z } from 'zod';
import { parseDuration } from '../config/durations';
import { env } from '../config/env';
import { describeInterval } from './email-content';

/**
 * Failure notification settings, from the environment. Kept beside the feature rather than in
 * lib/config/env.ts so the web app (which only needs "is mail configured") and the worker (which
 * sends) read the same parse; a bad value stops start-up like any other variable.
 */

const ZSmtpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'HERALD_SMTP_URL must be smtp://[user:password@]host[:port] or smtps://…');

const ZSettings = z.object({
  HERALD_SMTP_URL: ZSmtpUrl.optional(),
  HERALD_MAIL_FROM: z.string().trim().min(3).max(320).default('Herald <herald@localhost>'),
  HERALD_NOTIFY_INTERVAL: z
    .string()
    .default('1h')
    .transform((text, ctx) => {
      try {
        return parseDuration(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  HERALD_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'HERALD_PUBLIC_URL must be an http(s) URL' }).optional(),
});

export interface NotificationSettings {
  /** Unset: nothing is mailed, and the editor says notifications are not configured. */
  smtpUrl: string | null;
  from: string;
  /** At most one email per webhook this often; what happens in between goes in the next one. */
  intervalMs: number;
  /** Where links in emails point: the admin UI as people reach it. */
  publicUrl: string;
}

export function parseNotificationSettings(
  source: Record<string, string | undefined> = process.env,
  port = env().PORT,
): NotificationSettings {
  const defined = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = ZSettings.safeParse(defined);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const data = result.data;
  return {
    smtpUrl: data.HERALD_SMTP_URL ?? null,
    from: data.HERALD_MAIL_FROM,
    intervalMs: data.HERALD_NOTIFY_INTERVAL,
    publicUrl: (data.HERALD_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
  };
}

let cached: NotificationSettings | undefined;

export function notificationSettings(): NotificationSettings {
  cached ??= parseNotificationSettings();
  return cached;
}

/** Whether Herald can send email at all. */
export function mailConfigured(): boolean {
  return notificationSettings().smtpUrl !== null;
}

/** What the editor says about notifications: plain data for a client component. */
export interface MailStatus {
  configured: boolean;
  /** e.g. "1 hour" */
  interval: string;
}

export function mailStatus(): MailStatus {
  const settings = notificationSettings();
  return { configured: settings.smtpUrl !== null, interval: describeInterval(settings.intervalMs) };
}
