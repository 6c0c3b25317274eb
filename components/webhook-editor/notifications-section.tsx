import { Badge } from '@/components/ui/badge';
import { Section } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import type { MailStatus } from '@/lib/notifications/settings';
import { AddressStatus } from './address-status';
import type { Errors } from './editor-state';

/** Whom Herald emails when this webhook's deliveries fail for good or Herald turns it off. */
export function NotificationsSection({
  email,
  saved,
  onChange,
  mail,
  errors,
}: {
  email: string;
  /** The addresses as saved, with whether each is confirmed. */
  saved: readonly { email: string; confirmed: boolean }[];
  onChange: (email: string) => void;
  mail: MailStatus;
  errors: Errors;
}) {
  const messages = [...(errorsFor(errors, 'notifications', true) ?? [])];
  const typed = email.trim().toLowerCase();
  // The status belongs to the saved address: while another is typed, say what saving will do.
  const status = typed ? saved.find((address) => address.email.toLowerCase() === typed) : undefined;
  return (
    <Section
      id="notifications"
      title="Notifications"
      description="Herald emails this address when a delivery fails after its last retry, and when it turns the webhook off."
      actions={
        mail.configured ? (
          <Badge tone="success">Email on</Badge>
        ) : (
          <Badge tone="warning" title="HERALD_SMTP_URL is not set">
            Not configured
          </Badge>
        )
      }
    >
      <Field
        id="notification-email"
        label="Email address"
        errors={messages.length > 0 ? messages : undefined}
        hint={
          mail.configured ? (
            <>
              Herald asks an address to confirm (a link mailed to it) before it sends it failures; the addresses of
              Herald users need no confirmation. At most one email to an address every {mail.interval}, however many
              webhooks name it; failures in between are summarised in the next one. Leave it empty for no emails.
            </>
          ) : (
            <>
              Notifications are not configured: Herald sends no email until HERALD_SMTP_URL is set. The address is kept
              and used from then on.
            </>
          )
        }
      >
        <Input
          id="notification-email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(event) => onChange(event.target.value)}
          maxLength={254}
          placeholder="ops@example.com"
          className="sm:max-w-md"
          invalid={messages.length > 0}
        />
      </Field>
      <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-zinc-600" aria-live="polite">
        {status ? (
          <AddressStatus confirmed={status.confirmed} />
        ) : typed ? (
          'A new address: unless it is a Herald user’s, Herald mails it a confirmation link when you save.'
        ) : null}
      </p>
    </Section>
  );
}
