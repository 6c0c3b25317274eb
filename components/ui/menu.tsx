'use client';

import { type KeyboardEvent, type ReactNode, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { Button, type ButtonSize, type ButtonVariant } from './button';
import { type MenuPlacement, placeMenu } from './menu-placement';

/** The tallest a menu gets (20rem), wherever it opens. */
const MENU_CAP = 320;

export interface MenuItem {
  label: string;
  description?: string;
  onSelect: () => void;
}

/** A button that opens a list of choices; arrow keys move, Enter picks, Escape closes. */
export function Menu({
  label,
  items,
  variant = 'secondary',
  size = 'sm',
  align = 'left',
  disabled,
  emptyText = 'Nothing to choose',
}: {
  label: ReactNode;
  items: MenuItem[];
  variant?: ButtonVariant;
  size?: ButtonSize;
  align?: 'left' | 'right';
  disabled?: boolean;
  emptyText?: string;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const [placement, setPlacement] = useState<MenuPlacement>({ side: 'below', maxHeight: MENU_CAP });

  // Measured before paint: near the bottom of the screen the menu opens upwards instead of off-screen.
  useLayoutEffect(() => {
    if (!open || !button.current || !list.current) return;
    const rect = button.current.getBoundingClientRect();
    setPlacement(
      placeMenu({
        buttonTop: rect.top,
        buttonBottom: rect.bottom,
        viewportHeight: window.innerHeight,
        menuHeight: list.current.scrollHeight,
        cap: MENU_CAP,
      }),
    );
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const entries = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = entries.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
      button.current?.focus();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      entries[(index + 1) % entries.length]?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      entries[(index - 1 + entries.length) % entries.length]?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div ref={root} className="relative inline-block">
      <Button
        ref={button}
        variant={variant}
        size={size}
        disabled={disabled}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        {label}
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-3.5 w-3.5" fill="currentColor">
          <path d="M5.5 7.5 10 12l4.5-4.5z" />
        </svg>
      </Button>
      {open ? (
        <div
          ref={list}
          id={menuId}
          role="menu"
          onKeyDown={onKeyDown}
          style={{ maxHeight: placement.maxHeight }}
          className={`absolute z-30 w-80 max-w-[calc(100vw-2rem)] overflow-y-auto rounded-md border border-zinc-200 bg-white py-1 shadow-lg ${
            align === 'right' ? 'right-0' : 'left-0'
          } ${placement.side === 'above' ? 'bottom-full mb-1' : 'top-full mt-1'}`}
        >
          {items.length === 0 ? <p className="px-3 py-2 text-sm text-zinc-500">{emptyText}</p> : null}
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="block w-full px-3 py-2 text-left text-sm hover:bg-zinc-100 focus:bg-indigo-50 focus:outline-none"
              onClick={() => {
                setOpen(false);
                item.onSelect();
                button.current?.focus();
              }}
            >
              <span className="block font-medium text-zinc-900">{item.label}</span>
              {item.description ? (
                // Whole, wrapped anywhere: a long JSONPath cut short reads as a different path.
                <span className="block font-mono text-xs [overflow-wrap:anywhere] text-zinc-500">
                  {item.description}
                </span>
              ) : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
