import { errorMessage } from '../errors';
import { logger } from '../logger';
import { smtpMailer } from '../notifications/mailer';
import { notificationSettings } from '../notifications/settings';
import type { InviteView } from './invites';

export type InviteEmailOutcome = 'sent' | 'not-configured' | 'failed';

/**
 * Mails the invitation link when HERALD_SMTP_URL is set. Best effort and after the invitation
 * committed: the Owner is shown the link either way, and told whether the email went.
 */
export async function sendInviteEmail(
  invite: InviteView,
  link: string,
  invitedBy: string,
): Promise<InviteEmailOutcome> {
  const settings = notificationSettings();
  if (!settings.smtpUrl) return 'not-configured';
  const mailer = smtpMailer(settings.smtpUrl, settings.from, settings.publicUrl);
  try {
    await mailer.send({
      id: invite.id,
      to: invite.email,
      subject: 'You are invited to Herald',
      text: [
        `${invitedBy} invited you to Herald as ${invite.role}.`,
        '',
        'Choose your name and password here (the link works once, until',
        `${invite.expiresAt.toUTCString()}):`,
        '',
        link,
        '',
        'If you did not expect this, ignore this email.',
      ].join('\n'),
    });
    return 'sent';
  } catch (error) {
    logger('admin').warn(`invitation email to ${invite.email} failed: ${errorMessage(error)}`);
    return 'failed';
  } finally {
    mailer.close();
  }
}
