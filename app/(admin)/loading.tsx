import { Spinner } from '@/components/ui/spinner';

export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 py-16 text-sm text-zinc-500">
      <Spinner />
      Loading…
    </div>
  );
}
