'use client';

import {
  createContext,
  type ReactNode,
  type RefObject,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';

type Tone = 'success' | 'error' | 'info';
interface Toast {
  id: number;
  tone: Tone;
  message: string;
}

const ToastContext = createContext<(message: string, tone?: Tone) => void>(() => undefined);

const TONES: Record<Tone, string> = {
  success: 'border-emerald-200 bg-white text-zinc-900 [&>span]:bg-emerald-500',
  error: 'border-red-200 bg-white text-zinc-900 [&>span]:bg-red-500',
  info: 'border-zinc-200 bg-white text-zinc-900 [&>span]:bg-sky-500',
};

/** Toasts live in the root layout, so one raised before a navigation survives it. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)), []);
  const show = useCallback(
    (message: string, tone: Tone = 'success') => {
      const id = next.current++;
      setToasts((list) => [...list.slice(-3), { id, tone, message }]);
      setTimeout(() => dismiss(id), tone === 'error' ? 8000 : 4500);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      {/*
        Where toasts cannot cover an action: on phones at the top (stacked rows and the editor's
        action bar keep their actions low); wider, at the bottom left (row actions and the action
        bar's buttons sit on the right), lifted above a sticky action bar (see useActionBar).
      */}
      <div
        aria-live="polite"
        role="status"
        className="pointer-events-none fixed inset-x-0 top-0 z-50 flex flex-col items-center gap-2 p-3 sm:top-auto sm:bottom-[var(--herald-action-bar,0px)] sm:items-start sm:p-4"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            data-testid="toast"
            className={`pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${TONES[toast.tone]}`}
          >
            <span aria-hidden="true" className="mt-1.5 h-2 w-2 shrink-0 rounded-full" />
            <p className="flex-1">{toast.message}</p>
            <button
              type="button"
              onClick={() => dismiss(toast.id)}
              className="rounded text-zinc-400 hover:text-zinc-700"
              aria-label="Dismiss notification"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/**
 * For a bar of actions fixed at the bottom of the screen (the editor's Save): while it is on the
 * page, toasts rise above its height instead of covering it.
 */
export function useActionBar(bar: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => {
      root.style.setProperty('--herald-action-bar', `${element.offsetHeight}px`);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--herald-action-bar');
    };
  }, [bar]);
}

export function useToast() {
  return useContext(ToastContext);
}
