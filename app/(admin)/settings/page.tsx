import type { Metadata } from 'next';
import { ApiClientList } from '@/components/settings/api-client-list';
import { CreateApiClientForm } from '@/components/settings/create-api-client-form';
import { PageHeader } from '@/components/ui/page-header';
import { adminContext } from '@/lib/actions/action';
import { listApiClients } from '@/lib/auth/api-clients';

export const metadata: Metadata = { title: 'API clients' };
export const dynamic = 'force-dynamic';

export default async function SettingsPage() {
  const { hub } = await adminContext();
  const clients = await listApiClients();
  return (
    <>
      <PageHeader
        title="API clients"
        description={
          <>
            Credentials for the Management API (<code className="font-mono">/v2/content</code>) and event ingestion. A
            client gets a token from <code className="font-mono">/oauth/token</code> with its id and secret. Hub id:{' '}
            <code className="font-mono">{hub.id}</code>
          </>
        }
      />
      <div className="space-y-6">
        <CreateApiClientForm />
        <ApiClientList clients={clients} />
      </div>
    </>
  );
}
