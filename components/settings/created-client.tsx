import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';

export interface CreatedClientView {
  id: string;
  name: string;
  secret: string;
  scopes: string[];
}

/**
 * The new client's credentials, shown once (only the secret's hash is stored), until the person
 * says they have stored them.
 */
export function CreatedClient({ client, onDismiss }: { client: CreatedClientView; onDismiss: () => void }) {
  return (
    <div className="mt-4">
      <Alert
        tone="success"
        title={`Client "${client.name}" created: copy its secret now`}
        actions={
          <Button size="sm" onClick={onDismiss}>
            I have stored it
          </Button>
        }
      >
        <p>This is the only time Herald shows the secret. Store it in your integration&apos;s configuration.</p>
        <dl className="mt-3 space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <dt className="w-16 font-medium">Id</dt>
            <dd className="flex min-w-0 flex-1 items-center gap-2">
              <code className="truncate rounded bg-white px-2 py-1 font-mono text-xs" data-testid="client-id">
                {client.id}
              </code>
              <CopyButton value={client.id} label="Copy client id" />
            </dd>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <dt className="w-16 font-medium">Secret</dt>
            <dd className="flex min-w-0 flex-1 items-center gap-2">
              <code className="truncate rounded bg-white px-2 py-1 font-mono text-xs" data-testid="client-secret">
                {client.secret}
              </code>
              <CopyButton value={client.secret} label="Copy client secret" />
            </dd>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <dt className="w-16 font-medium">Scopes</dt>
            <dd className="font-mono text-xs" data-testid="client-scopes">
              {client.scopes.join(' ')}
            </dd>
          </div>
        </dl>
      </Alert>
    </div>
  );
}
