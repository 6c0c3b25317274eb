import type { ReactNode } from 'react';
import { AppHeader } from '@/components/layout/app-header';
import { requireUser } from '@/lib/actions/session';
import { can } from '@/lib/auth/roles';
import { preferredHub } from '@/lib/hubs/hub-preference';
import { listHubs } from '@/lib/hubs/hubs';

export const dynamic = 'force-dynamic';

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const [hubs, remembered] = await Promise.all([listHubs(), preferredHub(user.id)]);
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <AppHeader
        email={user.email}
        hubs={hubs.map(({ id, name, label }) => ({ id, name, label }))}
        rememberedHubId={remembered.id}
        canManageHubs={can(user.role, 'hubs:manage')}
        role={user.role}
        canReadAudit={can(user.role, 'audit:read')}
        canManageUsers={can(user.role, 'users:manage')}
      />
      <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:py-8">
        {children}
      </main>
    </div>
  );
}
