import type pg from 'pg';
import { smtpMailer } from './mailer';
import { NotificationSender } from './notification-sender';
import { notificationSettings } from './settings';

/**
 * The worker's notification sender, configured from the environment; null without
 * HERALD_SMTP_URL (then no notices are recorded either: see enqueue-notifications.ts).
 */
export function startNotificationSender(
  pool: pg.Pool,
  log: (level: 'info' | 'warn' | 'error', message: string) => void,
  retentionMs: number,
): NotificationSender | null {
  const settings = notificationSettings();
  if (!settings.smtpUrl) return null;
  const sender = new NotificationSender({
    pool,
    mailer: smtpMailer(settings.smtpUrl, settings.from, settings.publicUrl),
    publicUrl: settings.publicUrl,
    intervalMs: settings.intervalMs,
    retentionMs,
    log,
  });
  sender.start();
  return sender;
}
