import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <EmptyState title="Page not found" actions={<ButtonLink href="/webhooks">Go to webhooks</ButtonLink>}>
        There is nothing at this address.
      </EmptyState>
    </main>
  );
}
