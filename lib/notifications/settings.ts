import { env, type HeraldEnv } from '../config/env';
import { describeInterval } from './email-content';

/** Failure notification settings, from Herald's environment (validated at start-up with the rest). */
export interface NotificationSettings {
  /** Unset: nothing is mailed, and the editor says notifications are not configured. */
  smtpUrl: string | null;
  from: string;
  /** At most one email per webhook this often; what happens in between goes in the next one. */
  intervalMs: number;
  /** Where links in emails point: the admin UI as people reach it. */
  publicUrl: string;
}

export function notificationSettings(config: HeraldEnv = env()): NotificationSettings {
  return {
    smtpUrl: config.HERALD_SMTP_URL ?? null,
    from: config.HERALD_MAIL_FROM,
    intervalMs: config.HERALD_NOTIFY_INTERVAL,
    publicUrl: (config.HERALD_PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ''),
  };
}

/** Whether Herald can send email at all. */
export function mailConfigured(): boolean {
  return env().HERALD_SMTP_URL !== undefined;
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
