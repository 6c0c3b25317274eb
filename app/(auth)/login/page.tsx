import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { currentUser } from '@/lib/actions/session';
import { safeNextPath } from '@/lib/auth/next-path';
import { hasUsers } from '@/lib/auth/users';
import { hubAddress } from '@/lib/hubs/hub-address';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

/** `?next=`: the page a signed-out visit asked for; kept only when it is a page of this Herald. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  const user = await currentUser();
  if (user) redirect(await hubAddress(user.id, next ?? '/'));
  if (!(await hasUsers())) redirect('/setup');
  return (
    <>
      <h1 className="text-lg font-semibold">Sign in to Herald</h1>
      <p className="mt-1 text-sm text-zinc-600">Manage webhooks, deliveries and API clients.</p>
      <LoginForm next={next} />
    </>
  );
}
