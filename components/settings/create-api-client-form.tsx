'use client';

import { startTransition, useActionState, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Section } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { FieldError, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { useToast } from '@/components/ui/toast';
import { useHydrated } from '@/components/ui/use-hydrated';
import { createApiClientAction } from '@/lib/actions/api-client-actions';

type Result = Awaited<ReturnType<typeof createApiClientAction>>;

export function CreateApiClientForm() {
  const toast = useToast();
  // Before hydration a click would submit the bare HTML form and lose the edits.
  const hydrated = useHydrated();
  const [name, setName] = useState('');
  const [result, create, pending] = useActionState(async (_previous: Result | null, input: { name: string }) => {
    const outcome = await createApiClientAction(input);
    if (outcome.ok) {
      setName('');
      toast(`API client ${outcome.data.name} created`);
    }
    return outcome;
  }, null);
  const nameErrors = result && !result.ok ? (errorsFor(result.fieldErrors, 'name') ?? [result.message]) : undefined;
  return (
    <Section id="create-client" title="Create an API client">
      <form
        className="flex flex-wrap items-start gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(() => create({ name }));
        }}
      >
        <div className="min-w-0 flex-1 basis-64">
          <label htmlFor="client-name" className="sr-only">
            Name
          </label>
          <Input
            id="client-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="Name, e.g. CMS production"
            maxLength={128}
            invalid={Boolean(nameErrors)}
          />
          <FieldError messages={nameErrors} />
        </div>
        <SubmitButton disabled={!hydrated} pending={pending} pendingLabel="Creating…">
          Create client
        </SubmitButton>
      </form>
      <div aria-live="polite">
        {result?.ok ? (
          <div className="mt-4">
            <Alert tone="success" title={`Client "${result.data.name}" created: copy its secret now`}>
              <p>This is the only time Herald shows the secret. Store it in your integration&apos;s configuration.</p>
              <dl className="mt-3 space-y-2">
                <div className="flex flex-wrap items-center gap-2">
                  <dt className="w-16 font-medium">Id</dt>
                  <dd className="flex min-w-0 flex-1 items-center gap-2">
                    <code className="truncate rounded bg-white px-2 py-1 font-mono text-xs" data-testid="client-id">
                      {result.data.id}
                    </code>
                    <CopyButton value={result.data.id} label="Copy client id" />
                  </dd>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <dt className="w-16 font-medium">Secret</dt>
                  <dd className="flex min-w-0 flex-1 items-center gap-2">
                    <code className="truncate rounded bg-white px-2 py-1 font-mono text-xs" data-testid="client-secret">
                      {result.data.secret}
                    </code>
                    <CopyButton value={result.data.secret} label="Copy client secret" />
                  </dd>
                </div>
              </dl>
            </Alert>
          </div>
        ) : null}
      </div>
    </Section>
  );
}
