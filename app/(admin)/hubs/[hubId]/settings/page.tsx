import type { Metadata } from 'next';
import { RoleNote } from '@/components/layout/role-refusal';
import { ApiClientList } from '@/components/settings/api-client-list';
import { CreateApiClientForm } from '@/components/settings/create-api-client-form';
import { PageHeader } from '@/components/ui/page-header';
import { adminContext } from '@/lib/actions/action';
import { listApiClients } from '@/lib/auth/api-clients';
import { can } from '@/lib/auth/roles';
import { listHubs } from '@/lib/hubs/hubs';

export const metadata: Metadata = { title: 'API clients' };
export const dynamic = 'force-dynamic';

export default async function SettingsPage({ params }: { params: Promise<{ hubId: string }> }) {
  const { user, hub } = await adminContext((await params).hubId);
  const [clients, hubs] = await Promise.all([listApiClients(), listHubs()]);
  const manage = can(user.role, 'api-clients:manage');
  return (
    <>
      <PageHeader
        title="API clients"
        description={
          <>
            Credentials for the Management API (<code className="font-mono">/v2/content</code>) and event ingestion. A
            client gets a token from <code className="font-mono">/oauth/token</code> with its id and secret, and may do
            only what its scopes allow, in its hubs. This hub&apos;s id:{' '}
            <code className="font-mono" data-testid="hub-id">
              {hub.id}
            </code>
          </>
        }
      />
      <div className="space-y-6">
        {manage ? (
          <CreateApiClientForm hubs={hubs.map(({ id, label }) => ({ id, label }))} currentHubId={hub.id} />
        ) : (
          <RoleNote role={user.role} permission="api-clients:manage" />
        )}
        <ApiClientList
          clients={clients}
          hubLabels={new Map(hubs.map((entry) => [entry.id, entry.label]))}
          manage={manage}
        />
      </div>
    </>
  );
}
