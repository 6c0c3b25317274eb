import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

const CONTROL =
  'block w-full rounded-md border bg-white px-3 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 disabled:bg-zinc-100 disabled:text-zinc-500';

function controlClasses(invalid: boolean | undefined, extra = ''): string {
  const border = invalid ? 'border-red-500' : 'border-zinc-300';
  return `${CONTROL} ${border} ${extra}`.trim();
}

type Invalid = { invalid?: boolean };

export function Input({ invalid, className = '', ...props }: InputHTMLAttributes<HTMLInputElement> & Invalid) {
  return (
    <input aria-invalid={invalid || undefined} className={controlClasses(invalid, `h-9 ${className}`)} {...props} />
  );
}

export function Textarea({ invalid, className = '', ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & Invalid) {
  return (
    <textarea aria-invalid={invalid || undefined} className={controlClasses(invalid, `py-2 ${className}`)} {...props} />
  );
}

export function Select({ invalid, className = '', ...props }: SelectHTMLAttributes<HTMLSelectElement> & Invalid) {
  return (
    <select
      aria-invalid={invalid || undefined}
      className={controlClasses(invalid, `h-9 pr-8 ${className}`)}
      {...props}
    />
  );
}

export function Label({
  htmlFor,
  children,
  className = '',
}: {
  htmlFor?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <label htmlFor={htmlFor} className={`block text-sm font-medium text-zinc-800 ${className}`}>
      {children}
    </label>
  );
}

export function FieldError({ id, messages }: { id?: string; messages?: string[] }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p id={id} className="mt-1 text-xs font-medium text-red-700">
      {messages.join('; ')}
    </p>
  );
}

export function Hint({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-1 text-xs text-zinc-500">
      {children}
    </p>
  );
}

/** Label, control, hint and error, stacked. */
export function Field({
  id,
  label,
  hint,
  errors,
  children,
  className = '',
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <Label htmlFor={id}>{label}</Label>
      <div className="mt-1.5">{children}</div>
      {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      <FieldError id={`${id}-error`} messages={errors} />
    </div>
  );
}
