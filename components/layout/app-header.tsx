import Link from 'next/link';
import { logoutAction } from '@/lib/actions/auth-actions';
import { Logo } from './logo';
import { NavLinks } from './nav-links';

export function AppHeader({ email, hubLabel }: { email: string; hubLabel: string }) {
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/webhooks" className="rounded-md" aria-label="Herald home">
          <Logo />
        </Link>
        <span className="hidden rounded-full bg-zinc-100 px-2 py-0.5 text-xs text-zinc-600 sm:inline" title="Hub">
          {hubLabel}
        </span>
        <div className="order-3 w-full sm:order-none sm:w-auto sm:flex-1">
          <NavLinks />
        </div>
        <form action={logoutAction} className="ml-auto flex items-center gap-3">
          <span className="hidden max-w-48 truncate text-xs text-zinc-500 md:inline" title={email}>
            {email}
          </span>
          <button type="submit" className="rounded-md px-2 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-100">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}
