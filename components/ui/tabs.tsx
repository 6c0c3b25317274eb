import Link from 'next/link';

export function Tabs({ label, tabs }: { label: string; tabs: { href: string; label: string; current: boolean }[] }) {
  return (
    <nav aria-label={label} className="mb-6 border-b border-zinc-200">
      <ul className="-mb-px flex gap-4 overflow-x-auto">
        {tabs.map((tab) => (
          <li key={tab.href}>
            <Link
              href={tab.href}
              aria-current={tab.current ? 'page' : undefined}
              className={`inline-block border-b-2 px-1 pb-2.5 text-sm font-medium whitespace-nowrap ${
                tab.current
                  ? 'border-indigo-600 text-indigo-700'
                  : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900'
              }`}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
