'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { type HubSection, hubPath } from '@/lib/hubs/hub-paths';
import { useCurrentHubId } from './use-hub';

const LINKS: { section: HubSection; label: string }[] = [
  { section: 'overview', label: 'Overview' },
  { section: 'webhooks', label: 'Webhooks' },
  { section: 'events', label: 'Events' },
  { section: 'settings', label: 'API clients' },
];

/**
 * The main navigation: each page of the hub being shown (the remembered one outside any hub),
 * then the audit log (Owners, Admins) and users (Owners), as the role allows, and the API reference.
 */
export function NavLinks({
  fallbackHubId,
  showAuditLog = false,
  showUsers = false,
}: {
  fallbackHubId: string;
  showAuditLog?: boolean;
  showUsers?: boolean;
}) {
  const pathname = usePathname();
  const hubId = useCurrentHubId() ?? fallbackHubId;
  const links = [
    ...LINKS.map((link) => ({ key: link.section, href: hubPath(hubId, `/${link.section}`), label: link.label })),
    ...(showAuditLog ? [{ key: 'audit-log', href: hubPath(hubId, '/audit-log'), label: 'Audit log' }] : []),
    ...(showUsers ? [{ key: 'users', href: '/users', label: 'Users' }] : []),
    { key: 'api', href: '/api', label: 'API' },
  ];
  return (
    <nav aria-label="Main">
      <ul className="flex flex-wrap gap-1">
        {links.map((link) => {
          const href = link.href;
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={link.key}>
              <Link
                href={href}
                aria-current={current ? 'page' : undefined}
                className={`block rounded-md px-2.5 py-1.5 text-sm font-medium ${
                  current ? 'bg-indigo-50 text-indigo-700' : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900'
                }`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
