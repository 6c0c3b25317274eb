'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { HUB_SECTIONS, hubPath } from '@/lib/hubs/hub-paths';
import { HubDialog } from './hub-dialog';
import { useCurrentHubId } from './use-hub';

export interface HubSummary {
  id: string;
  name: string;
  label: string;
}

/** The same page in another hub: the section's list page (a webhook of one hub is not in another). */
function sectionPath(pathname: string): string {
  const section = /^\/hubs\/[^/]+\/([^/?]+)/.exec(pathname)?.[1];
  return HUB_SECTIONS.find((known) => known === section) ?? 'webhooks';
}

/**
 * The header's hub switcher: the hub of the address, a list of links to the same section in each
 * hub (the address carries the hub, so the choice is shareable and survives a reload; the hub
 * layout remembers it for the user), and, for those whose role manages hubs, new hub and rename.
 */
export function HubSwitcher({
  hubs,
  fallbackHubId,
  canManage,
}: {
  hubs: HubSummary[];
  /** The remembered hub, shown on pages outside any hub. */
  fallbackHubId: string;
  canManage: boolean;
}) {
  const pathname = usePathname();
  const currentId = useCurrentHubId() ?? fallbackHubId;
  const current = hubs.find((hub) => hub.id === currentId);
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'create' | 'rename' | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  const section = sectionPath(pathname);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (event.target instanceof Node && !root.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    root.current?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    const index = items.findIndex((item) => item === document.activeElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
      button.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  const choose = (next: 'create' | 'rename') => {
    setOpen(false);
    setDialog(next);
  };

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Hub: ${current?.label ?? 'unknown'}`}
        title={current?.label}
        onClick={() => setOpen((value) => !value)}
        className="flex max-w-44 items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-2.5 py-1 text-left hover:bg-zinc-100"
      >
        <span className="min-w-0">
          <span className="block text-[10px] leading-3 font-medium tracking-wide text-zinc-500 uppercase">Hub</span>
          <span className="block truncate text-sm font-medium text-zinc-900" data-testid="current-hub">
            {current?.label ?? 'Unknown hub'}
          </span>
        </span>
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 shrink-0 text-zinc-500" fill="currentColor">
          <path d="M6 8l4-4 4 4H6zm0 4h8l-4 4-4-4z" />
        </svg>
      </button>
      {open ? (
        <div
          id={menuId}
          role="menu"
          aria-label="Hubs"
          onKeyDown={onKeyDown}
          className="absolute left-0 z-30 mt-1 w-72 max-w-[calc(100vw-2rem)] rounded-md border border-zinc-200 bg-white py-1 shadow-lg"
        >
          <div className="max-h-72 overflow-y-auto">
            {hubs.map((hub) => (
              <Link
                key={hub.id}
                href={hubPath(hub.id, `/${section}`)}
                // Opening a hub remembers it: only a click may do that, never a prefetch.
                prefetch={false}
                role="menuitemradio"
                aria-checked={hub.id === currentId}
                tabIndex={-1}
                onClick={() => setOpen(false)}
                className="flex items-center gap-2 px-3 py-2 text-sm hover:bg-zinc-100 focus:bg-indigo-50 focus:outline-none"
              >
                <span aria-hidden="true" className="w-4 text-indigo-600">
                  {hub.id === currentId ? '✓' : ''}
                </span>
                <span className="min-w-0">
                  <span className="block truncate font-medium text-zinc-900">{hub.label}</span>
                  <span className="block truncate font-mono text-xs text-zinc-500">{hub.name}</span>
                </span>
              </Link>
            ))}
          </div>
          {canManage ? (
            <div className="mt-1 border-t border-zinc-100 pt-1">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => choose('create')}
                className="block w-full px-3 py-2 text-left text-sm font-medium text-zinc-800 hover:bg-zinc-100 focus:bg-indigo-50 focus:outline-none"
              >
                New hub…
              </button>
              {current ? (
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  onClick={() => choose('rename')}
                  className="block w-full px-3 py-2 text-left text-sm font-medium text-zinc-800 hover:bg-zinc-100 focus:bg-indigo-50 focus:outline-none"
                >
                  Rename {current.label}…
                </button>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
      {dialog ? (
        <HubDialog
          mode={dialog}
          hub={dialog === 'rename' ? (current ?? null) : null}
          section={section}
          onClose={() => {
            setDialog(null);
            button.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}
