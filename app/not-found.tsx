import { connection } from 'next/server';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export default async function NotFound() {
  // Rendered per request, not at build time, so its scripts carry the CSP nonce (proxy.ts).
  await connection();
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <EmptyState title="Page not found" actions={<ButtonLink href="/">Go to webhooks</ButtonLink>}>
        There is nothing at this address.
      </EmptyState>
    </main>
  );
}
