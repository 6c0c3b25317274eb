import { Section } from '@/components/ui/card';
import { Time } from '@/components/ui/time';
import type { InviteView } from '@/lib/auth/invites';
import { RevokeInviteButton } from './user-buttons';

export function PendingInvites({ invites }: { invites: InviteView[] }) {
  if (invites.length === 0) return null;
  return (
    <Section id="pending-invites" title="Pending invitations" description="Links not used yet. Each works once.">
      <ul className="divide-y divide-zinc-100">
        {invites.map((invite) => (
          <li key={invite.id} className="flex flex-wrap items-center justify-between gap-3 py-2.5 text-sm">
            <div className="min-w-0">
              <span className="font-medium text-zinc-900">{invite.email}</span>{' '}
              <span className="text-zinc-500">
                as {invite.role}
                {invite.invitedBy ? `, invited by ${invite.invitedBy}` : ''}, expires <Time date={invite.expiresAt} />
              </span>
            </div>
            <RevokeInviteButton id={invite.id} email={invite.email} />
          </li>
        ))}
      </ul>
    </Section>
  );
}
