import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

/** An unknown hub, webhook or delivery; a page a role may not open says so instead (RoleRefusal). */
export default function NotFound() {
  return (
    <EmptyState title="Not found" actions={<ButtonLink href="/">Back to webhooks</ButtonLink>}>
      There is nothing at this address: the hub, webhook or delivery it names does not exist. It may have been deleted.
    </EmptyState>
  );
}
