export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <span className="inline-flex items-center gap-2 font-semibold text-zinc-900">
      <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7">
        <rect width="32" height="32" rx="8" className="fill-indigo-600" />
        <path d="M9 22V10m14 12V10M9 16h14" stroke="white" strokeWidth="3" strokeLinecap="round" />
      </svg>
      {compact ? null : <span className="text-lg tracking-tight">Herald</span>}
    </span>
  );
}
