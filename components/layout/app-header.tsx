import { logoutAction } from '@/lib/actions/auth-actions';
import { HomeLink } from './home-link';
import { type HubSummary, HubSwitcher } from './hub-switcher';
import { NavLinks } from './nav-links';

export function AppHeader({
  email,
  hubs,
  rememberedHubId,
  canManageHubs,
  role,
  canReadAudit = false,
  canManageUsers = false,
}: {
  email: string;
  hubs: HubSummary[];
  /** The hub the user last worked in: what the header shows on pages outside any hub. */
  rememberedHubId: string;
  canManageHubs: boolean;
  role?: string;
  canReadAudit?: boolean;
  canManageUsers?: boolean;
}) {
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:px-6">
        <HomeLink fallbackHubId={rememberedHubId} />
        <HubSwitcher hubs={hubs} fallbackHubId={rememberedHubId} canManage={canManageHubs} />
        <div className="order-3 w-full sm:order-none sm:w-auto sm:flex-1">
          <NavLinks fallbackHubId={rememberedHubId} showAuditLog={canReadAudit} showUsers={canManageUsers} />
        </div>
        <form action={logoutAction} className="ml-auto flex items-center gap-3">
          <span className="hidden items-center gap-1.5 text-xs text-zinc-500 md:flex">
            <span className="max-w-48 truncate" title={email}>
              {email}
            </span>
            {role ? (
              <span
                className="rounded-full bg-zinc-100 px-1.5 py-0.5 font-medium text-zinc-600"
                data-testid="current-role"
              >
                {role}
              </span>
            ) : null}
          </span>
          <button type="submit" className="rounded-md px-2 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-100">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}
