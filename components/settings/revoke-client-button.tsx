'use client';

import { ConfirmButton } from '@/components/ui/confirm-button';
import { revokeApiClientAction } from '@/lib/actions/api-client-actions';

export function RevokeClientButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmButton
      label="Revoke"
      ariaLabel={`Revoke ${name}`}
      title={`Revoke ${name}?`}
      description="Its tokens stop working at once. This cannot be undone: create a new client instead."
      confirmLabel="Revoke"
      run={() => revokeApiClientAction({ id })}
      done={`${name} revoked`}
    >
      <p className="font-mono text-xs text-zinc-600">{id}</p>
    </ConfirmButton>
  );
}
