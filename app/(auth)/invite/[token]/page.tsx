import type { Metadata } from 'next';
import Link from 'next/link';
import { AcceptInviteForm } from '@/components/auth/accept-invite-form';
import { Alert } from '@/components/ui/alert';
import { lookupInvite } from '@/lib/auth/invites';
import { ROLE_DESCRIPTIONS } from '@/lib/auth/roles';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/users';

export const metadata: Metadata = { title: 'Join Herald', referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

/** Where an invitation link leads: the invitee picks a name and password; the link works once. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await lookupInvite(token);
  if (!invite.ok) {
    return (
      <>
        <h1 className="text-lg font-semibold">Invitation</h1>
        <div className="mt-4">
          <Alert tone="warning">{invite.message}</Alert>
        </div>
        <p className="mt-4 text-sm">
          <Link href="/login" className="font-medium text-indigo-700 hover:underline">
            Go to sign in
          </Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1 className="text-lg font-semibold">Join Herald</h1>
      <p className="mt-1 text-sm text-zinc-600">
        You are invited as <strong className="text-zinc-900">{invite.role}</strong> (
        {ROLE_DESCRIPTIONS[invite.role].charAt(0).toLowerCase() + ROLE_DESCRIPTIONS[invite.role].slice(1)}
        ). You will sign in as <strong className="text-zinc-900">{invite.email}</strong>.
      </p>
      <AcceptInviteForm token={token} email={invite.email} minLength={MIN_PASSWORD_LENGTH} />
    </>
  );
}
