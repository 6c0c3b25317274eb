'use client';

import { startTransition, useActionState, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Section } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { FieldError, Input, Select } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { useHydrated } from '@/components/ui/use-hydrated';
import { inviteUserAction } from '@/lib/actions/user-actions';
import { ROLE_DESCRIPTIONS, ROLES, type Role } from '@/lib/auth/roles';

type Result = Awaited<ReturnType<typeof inviteUserAction>>;
type Invited = Extract<Result, { ok: true }>['data'];

const EMAIL_NOTES: Record<Invited['email'], string> = {
  sent: 'It was also emailed to them.',
  'not-configured': 'Email is not configured (HERALD_SMTP_URL), so nothing was emailed: send them the link yourself.',
  failed: 'Emailing it failed (see the server log): send them the link yourself.',
};

/** The new invitation's link, shown once: only its hash is stored. */
function InviteLink({ invited }: { invited: Invited }) {
  return (
    <div className="mt-4">
      <Alert tone="success" title={`Invitation for ${invited.to} (${invited.role}) created: copy the link now`}>
        <p>
          This is the only time Herald shows the link. It works once, until {new Date(invited.expiresAt).toUTCString()}.{' '}
          {EMAIL_NOTES[invited.email]}
        </p>
        <div className="mt-3 flex min-w-0 items-center gap-2">
          <code className="truncate rounded bg-white px-2 py-1 font-mono text-xs" data-testid="invite-link">
            {invited.link}
          </code>
          <CopyButton value={invited.link} label="Copy invitation link" />
        </div>
      </Alert>
    </div>
  );
}

/** `pendingEmails`: addresses with an invitation not used yet (a new one replaces its link). */
export function InviteForm({ pendingEmails }: { pendingEmails: readonly string[] }) {
  const hydrated = useHydrated();
  const [email, setEmail] = useState('');
  const replaces = pendingEmails.includes(email.trim().toLowerCase());
  const [role, setRole] = useState<Role>('Editor');
  const [result, invite, pending] = useActionState(
    async (_previous: Result | null, input: { email: string; role: Role }) => {
      const outcome = await inviteUserAction(input);
      if (outcome.ok) setEmail('');
      return outcome;
    },
    null,
  );
  const failed = result && !result.ok ? result : null;
  const emailErrors = failed ? (errorsFor(failed.fieldErrors, 'email') ?? [failed.message]) : undefined;
  return (
    <Section
      id="invite"
      title="Invite someone"
      description="They get a one-time link, valid for 7 days, where they choose their name and password."
    >
      <form
        className="flex flex-wrap items-start gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(() => invite({ email, role }));
        }}
      >
        <div className="min-w-0 flex-1 basis-64">
          <label htmlFor="invite-email" className="block text-sm font-medium text-zinc-800">
            Email
          </label>
          <Input
            id="invite-email"
            type="email"
            className="mt-1.5"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            placeholder="name@example.com"
            maxLength={320}
            required
            invalid={Boolean(emailErrors)}
            aria-describedby={replaces ? 'invite-email-hint' : undefined}
          />
          {replaces ? (
            <p id="invite-email-hint" className="mt-1 text-xs font-medium text-amber-800">
              This address has a pending invitation: a new one replaces its link, and the old link stops working.
            </p>
          ) : null}
          <FieldError messages={emailErrors} />
        </div>
        <div className="w-56 max-sm:w-full">
          <label htmlFor="invite-role" className="block text-sm font-medium text-zinc-800">
            Role
          </label>
          <Select
            id="invite-role"
            className="mt-1.5"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
            aria-describedby="invite-role-hint"
          >
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </Select>
          <p id="invite-role-hint" className="mt-1 text-xs text-zinc-500">
            {ROLE_DESCRIPTIONS[role]}
          </p>
        </div>
        <div className="pt-7 max-sm:pt-0">
          <SubmitButton disabled={!hydrated} pending={pending} pendingLabel="Inviting…">
            Create invitation
          </SubmitButton>
        </div>
      </form>
      <div aria-live="polite">{result?.ok ? <InviteLink invited={result.data} /> : null}</div>
    </Section>
  );
}
