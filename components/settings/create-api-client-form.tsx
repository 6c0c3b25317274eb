'use client';

import { startTransition, useActionState, useState } from 'react';
import { Section } from '@/components/ui/card';
import { FieldError, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { useToast } from '@/components/ui/toast';
import { useHydrated } from '@/components/ui/use-hydrated';
import { createApiClientAction } from '@/lib/actions/api-client-actions';
import { SCOPE_DESCRIPTIONS, SCOPES, type Scope } from '@/lib/auth/scopes';
import { CreatedClient, type CreatedClientView } from './created-client';
import { HubChoice } from './hub-choice';

type Result = Awaited<ReturnType<typeof createApiClientAction>>;
type CreateInput = Parameters<typeof createApiClientAction>[0];

export interface HubOption {
  id: string;
  label: string;
}

export function CreateApiClientForm({ hubs, currentHubId }: { hubs: HubOption[]; currentHubId: string }) {
  const toast = useToast();
  // Before hydration a click would submit the bare HTML form and lose the edits.
  const hydrated = useHydrated();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ReadonlySet<Scope>>(new Set(SCOPES));
  const [hubIds, setHubIds] = useState<ReadonlySet<string> | null>(null);
  // The one-time secret stays on screen until dismissed: a later refusal must not take it away.
  const [created, setCreated] = useState<CreatedClientView | null>(null);
  const [result, create, pending] = useActionState(async (_previous: Result | null, input: CreateInput) => {
    const outcome = await createApiClientAction(input);
    if (outcome.ok) {
      setCreated(outcome.data);
      setName('');
      toast(`API client ${outcome.data.name} created`);
    }
    return outcome;
  }, null);
  const failed = result && !result.ok ? result : null;
  const scopeErrors = failed ? errorsFor(failed.fieldErrors, 'scopes') : undefined;
  const hubErrors = failed ? errorsFor(failed.fieldErrors, 'hubIds') : undefined;
  const nameErrors = failed
    ? (errorsFor(failed.fieldErrors, 'name') ?? (scopeErrors || hubErrors ? undefined : [failed.message]))
    : undefined;
  const toggleScope = (scope: Scope, on: boolean) =>
    setScopes((current) => new Set(SCOPES.filter((entry) => (entry === scope ? on : current.has(entry)))));

  return (
    <Section
      id="create-client"
      title="Create an API client"
      description="Give each integration only what it needs: a CMS that posts events needs events:write alone."
    >
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(() =>
            create({
              name,
              scopes: SCOPES.filter((scope) => scopes.has(scope)),
              hubIds: hubIds ? [...hubIds] : null,
            }),
          );
        }}
      >
        <div className="max-w-md">
          <label htmlFor="client-name" className="block text-sm font-medium text-zinc-800">
            Name
          </label>
          <Input
            id="client-name"
            className="mt-1.5"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. CMS production"
            maxLength={128}
            invalid={Boolean(nameErrors)}
          />
          <FieldError messages={nameErrors} />
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-zinc-800">Scopes</legend>
          <ul className="mt-1.5 grid gap-2 sm:grid-cols-2">
            {SCOPES.map((scope) => (
              <li key={scope} className="flex items-start gap-2">
                <input
                  id={`scope-${scope}`}
                  type="checkbox"
                  className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-indigo-600"
                  checked={scopes.has(scope)}
                  onChange={(event) => toggleScope(scope, event.target.checked)}
                  aria-describedby={`scope-${scope}-hint`}
                />
                <span className="text-sm">
                  <label htmlFor={`scope-${scope}`} className="font-mono font-medium text-zinc-900">
                    {scope}
                  </label>
                  <span id={`scope-${scope}-hint`} className="block text-xs text-zinc-500">
                    {SCOPE_DESCRIPTIONS[scope]}
                  </span>
                </span>
              </li>
            ))}
          </ul>
          <FieldError messages={scopeErrors} />
        </fieldset>
        <HubChoice hubs={hubs} currentHubId={currentHubId} value={hubIds} onChange={setHubIds} errors={hubErrors} />
        <SubmitButton disabled={!hydrated} pending={pending} pendingLabel="Creating…">
          Create client
        </SubmitButton>
      </form>
      <div aria-live="polite">
        {created ? <CreatedClient client={created} onDismiss={() => setCreated(null)} /> : null}
      </div>
    </Section>
  );
}
