'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { useHub } from '@/components/layout/use-hub';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { useToast } from '@/components/ui/toast';
import { countRecoverableAction, recoverFailedAction } from '@/lib/actions/recover-actions';

const DAY = 86_400_000;

/** `YYYY-MM-DDTHH:mm` in the browser's time zone, as <input type="datetime-local"> takes it. */
function localInput(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The input's local time as an ISO instant; null when empty or not a date. */
function toIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

type Count =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; count: number }
  | { state: 'error'; message: string };

const plural = (count: number) => (count === 1 ? '1 failed delivery' : `${count} failed deliveries`);

/**
 * "Recover failed deliveries…": picks a window, shows how many FAILED deliveries it holds, and on
 * confirmation sends each of them again as a new attempt chain.
 */
export function RecoverFailedButton({ webhookId, active }: { webhookId: string; active: boolean }) {
  const router = useRouter();
  const { hubId } = useHub();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [count, setCount] = useState<Count>({ state: 'idle' });
  const [pending, startTransition] = useTransition();

  const sinceIso = toIso(since);
  const untilIso = toIso(until);
  const windowError = !sinceIso
    ? 'Choose when the window starts'
    : until && !untilIso
      ? 'Choose a valid end, or leave it empty for now'
      : untilIso && untilIso <= sinceIso
        ? 'The end must be after the start'
        : null;

  useEffect(() => {
    if (!open || windowError || !sinceIso) return;
    let current = true;
    setCount({ state: 'loading' });
    // Typing a date fires on every keystroke: count once it settles.
    const timer = setTimeout(async () => {
      const result = await countRecoverableAction({
        hubId,
        webhookId,
        since: sinceIso,
        ...(untilIso ? { until: untilIso } : {}),
      });
      if (!current) return;
      setCount(result.ok ? { state: 'ready', count: result.data.count } : { state: 'error', message: result.message });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [open, hubId, webhookId, sinceIso, untilIso, windowError]);

  const openDialog = () => {
    setSince(localInput(Date.now() - DAY));
    setUntil('');
    setOpen(true);
  };

  const recover = () =>
    startTransition(async () => {
      if (!sinceIso) return;
      const result = await recoverFailedAction({
        hubId,
        webhookId,
        since: sinceIso,
        ...(untilIso ? { until: untilIso } : {}),
      });
      if (!result.ok) {
        toast(result.message, 'error');
        return;
      }
      setOpen(false);
      toast(
        result.data.count === 0
          ? 'No failed deliveries left in that window'
          : `Recovering ${plural(result.data.count)}: each is sent again`,
      );
      router.refresh();
    });

  const ready = count.state === 'ready' ? count.count : 0;
  return (
    <>
      <Button size="sm" onClick={openDialog}>
        Recover failed deliveries…
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Recover failed deliveries"
        description="Sends every delivery that failed after its last retry in this window again, as a new attempt chain with the same webhook-id. Delivered and pending ones are left alone."
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant="primary"
              onClick={recover}
              disabled={pending || !active || windowError !== null || count.state !== 'ready' || ready === 0}
            >
              {pending ? <Spinner /> : null}
              {count.state === 'ready' && ready > 0 ? `Recover ${plural(ready)}` : 'Recover'}
            </Button>
          </>
        }
      >
        <div className="space-y-4">
          {!active ? (
            <Alert tone="warning" title="The webhook is off">
              Turn it on first: recovered deliveries of a webhook that is off fail again at once.
            </Alert>
          ) : null}
          <div className="space-y-4">
            <Field id="recover-since" label="From" hint="When the events arrived (your time zone)">
              <Input
                id="recover-since"
                type="datetime-local"
                value={since}
                onChange={(event) => setSince(event.target.value)}
                required
              />
            </Field>
            <Field id="recover-until" label="Until" hint="Empty: until now">
              <Input
                id="recover-until"
                type="datetime-local"
                value={until}
                onChange={(event) => setUntil(event.target.value)}
              />
            </Field>
          </div>
          <p aria-live="polite" data-testid="recover-count" className="min-h-5 text-sm text-zinc-700">
            {windowError ? (
              <span className="text-red-700">{windowError}</span>
            ) : count.state === 'loading' || count.state === 'idle' ? (
              'Counting failed deliveries…'
            ) : count.state === 'error' ? (
              <span className="text-red-700">{count.message}</span>
            ) : count.count === 0 ? (
              'No failed deliveries in this window.'
            ) : (
              `${plural(count.count)} in this window will be sent again.`
            )}
          </p>
        </div>
      </Dialog>
    </>
  );
}
