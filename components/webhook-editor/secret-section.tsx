'use client';

import { useState } from 'react';
import { useHub } from '@/components/layout/use-hub';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Section } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { CopyButton } from '@/components/ui/copy-button';
import { FieldError, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { regenerateSecretAction } from '@/lib/actions/webhook-actions';
import type { Errors } from './editor-state';

export function SecretSection({
  webhookId,
  initialSecret,
  customSecret,
  onCustomSecret,
  errors,
}: {
  webhookId: string | null;
  initialSecret: string | null;
  customSecret: string | null;
  onCustomSecret: (secret: string | null) => void;
  errors: Errors;
}) {
  const { hubId } = useHub();
  // What the server last said the secret is, unless a regenerate since replaced it. When the page
  // brings a new secret (after saving your own), that one shows.
  const [shown, setShown] = useState({ from: initialSecret, secret: initialSecret });
  if (shown.from !== initialSecret) setShown({ from: initialSecret, secret: initialSecret });
  const secret = shown.secret;
  const setSecret = (next: string | null) => setShown({ from: initialSecret, secret: next });
  const [revealed, setRevealed] = useState(false);
  const secretErrors = errorsFor(errors, 'secret');

  return (
    <Section
      id="secret"
      title="Secret"
      description="Signs every request (X-Amplience-Webhook-Signature and webhook-signature), so your endpoint can check it came from Herald."
    >
      {secret ? (
        <div className="flex flex-wrap items-center gap-2">
          <code
            data-testid="webhook-secret"
            className="min-w-0 flex-1 truncate rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs text-zinc-700"
          >
            {revealed ? secret : `${'•'.repeat(24)}${secret.slice(-4)}`}
          </code>
          <Button size="sm" onClick={() => setRevealed((value) => !value)} aria-pressed={revealed}>
            {revealed ? 'Hide' : 'Show'}
          </Button>
          <CopyButton value={secret} label="Copy secret" />
          <ConfirmButton
            label="Regenerate"
            variant="secondary"
            title="Regenerate the secret?"
            description="A new secret signs from now on. The previous one still signs webhook-signature for 24 hours, so receivers can switch over."
            confirmLabel="Regenerate"
            confirmVariant="primary"
            disabled={!webhookId}
            run={() => regenerateSecretAction({ hubId, id: webhookId ?? '' })}
            onDone={(result) => {
              setSecret(result.data.secret);
              setRevealed(false);
            }}
            done="Secret regenerated. The previous secret keeps signing for 24 hours."
          >
            <p className="text-sm text-zinc-600">Update the secret in your receiver after regenerating.</p>
          </ConfirmButton>
        </div>
      ) : webhookId ? (
        <Alert tone="danger" title="The secret cannot be decrypted">
          This server's encryption key does not open this webhook's secret, so its deliveries are not sent. Restore the
          key it was saved with (HERALD_ENCRYPTION_KEY or the key file), or set your own secret below.
        </Alert>
      ) : (
        <p className="text-sm text-zinc-600">
          Herald generates a random 128-character secret when you save the webhook.
        </p>
      )}
      <div className="mt-3">
        {customSecret === null ? (
          <Button size="sm" variant="link" onClick={() => onCustomSecret('')}>
            Set your own secret
          </Button>
        ) : (
          <div className="max-w-xl">
            <label htmlFor="custom-secret" className="block text-sm font-medium text-zinc-800">
              Your own secret
            </label>
            <div className="mt-1.5 flex gap-2">
              <Input
                id="custom-secret"
                value={customSecret}
                onChange={(event) => onCustomSecret(event.target.value)}
                className="font-mono"
                autoComplete="off"
                spellCheck={false}
                placeholder="at least 16 characters"
                invalid={Boolean(secretErrors)}
              />
              <Button onClick={() => onCustomSecret(null)}>Cancel</Button>
            </div>
            <p className="mt-1 text-xs text-zinc-500">
              Replaces the secret when you save. Left empty, the current secret stays.
            </p>
          </div>
        )}
        <FieldError messages={secretErrors} />
      </div>
    </Section>
  );
}
