'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import { type ConfirmAddressState, confirmAddressAction } from '@/lib/actions/notification-actions';

/** The one button that confirms an address: pressing it (a POST) confirms, opening the page does not. */
export function ConfirmAddressForm({ token, email }: { token: string; email: string }) {
  const [state, formAction] = useActionState<ConfirmAddressState, FormData>(confirmAddressAction, null);
  if (state?.ok) {
    return (
      <div className="mt-4" aria-live="polite">
        <Alert tone="success" role="status" title="Address confirmed">
          Herald will email {state.email} when a webhook naming it fails, at most once per interval.
        </Alert>
      </div>
    );
  }
  return (
    <form action={formAction} className="mt-6 space-y-4">
      <div aria-live="polite">{state ? <Alert tone="danger">{state.message}</Alert> : null}</div>
      <input type="hidden" name="token" value={token} />
      <p className="text-sm text-zinc-700">
        Send failure notifications of Herald webhooks to <strong className="text-zinc-900">{email}</strong>?
      </p>
      <SubmitButton className="w-full" pendingLabel="Confirming…">
        Confirm
      </SubmitButton>
    </form>
  );
}
