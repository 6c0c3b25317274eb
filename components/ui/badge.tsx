import type { ReactNode } from 'react';

const TONES = {
  neutral: 'bg-zinc-100 text-zinc-700 ring-zinc-200',
  success: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  danger: 'bg-red-50 text-red-800 ring-red-200',
  warning: 'bg-amber-50 text-amber-900 ring-amber-200',
  info: 'bg-sky-50 text-sky-800 ring-sky-200',
  muted: 'bg-zinc-50 text-zinc-500 ring-zinc-200',
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span
      title={title}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

export const STATUS_LABELS = {
  QUEUED: 'Pending',
  RETRYING: 'Retrying',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
  FILTERED: 'Not sent (filtered)',
  SUPERSEDED: 'Not sent (superseded)',
} as const;

export type StatusName = keyof typeof STATUS_LABELS;

const STATUS_TONES: Record<StatusName, BadgeTone> = {
  QUEUED: 'info',
  RETRYING: 'warning',
  DELIVERED: 'success',
  FAILED: 'danger',
  FILTERED: 'muted',
  SUPERSEDED: 'muted',
};

const DOTS: Record<StatusName, string> = {
  QUEUED: 'bg-sky-500',
  RETRYING: 'bg-amber-500',
  DELIVERED: 'bg-emerald-500',
  FAILED: 'bg-red-500',
  FILTERED: 'bg-zinc-400',
  SUPERSEDED: 'bg-violet-400',
};

export function StatusBadge({ status }: { status: StatusName }) {
  return (
    <Badge tone={STATUS_TONES[status]}>
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${DOTS[status]}`} />
      {STATUS_LABELS[status]}
    </Badge>
  );
}
