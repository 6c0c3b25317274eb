'use client';

import { ConfirmButton } from '@/components/ui/confirm-button';
import { removeUserAction, revokeInviteAction, revokeUserSessionsAction } from '@/lib/actions/user-actions';

export function RemoveUserButton({ userId, email, self }: { userId: string; email: string; self: boolean }) {
  return (
    <ConfirmButton
      label="Remove"
      ariaLabel={`Remove ${email}`}
      title={`Remove ${email}?`}
      description={
        self
          ? 'This is your own account: you are signed out at once and cannot sign in again.'
          : 'They are signed out at once and cannot sign in again. The audit log keeps what they did.'
      }
      confirmLabel="Remove"
      run={() => removeUserAction({ userId })}
      done={`${email} removed`}
    />
  );
}

export function RevokeSessionsButton({ userId, email, count }: { userId: string; email: string; count: number }) {
  return (
    <ConfirmButton
      label="Sign out everywhere"
      ariaLabel={`Sign ${email} out everywhere`}
      variant="secondary"
      title={`Sign ${email} out everywhere?`}
      description={`Ends their ${count === 1 ? 'session' : `${count} sessions`} now; they can sign in again.`}
      confirmLabel="Sign out"
      run={() => revokeUserSessionsAction({ userId })}
      done={`${email} signed out everywhere`}
    />
  );
}

export function RevokeInviteButton({ id, email }: { id: string; email: string }) {
  return (
    <ConfirmButton
      label="Revoke"
      ariaLabel={`Revoke the invitation for ${email}`}
      title={`Revoke the invitation for ${email}?`}
      description="The link stops working at once."
      confirmLabel="Revoke"
      run={() => revokeInviteAction({ id })}
      done={`Invitation for ${email} revoked`}
    />
  );
}
