import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export default function NotFound() {
  return (
    <EmptyState title="Not found" actions={<ButtonLink href="/webhooks">Back to webhooks</ButtonLink>}>
      This webhook or delivery does not exist. It may have been deleted.
    </EmptyState>
  );
}
