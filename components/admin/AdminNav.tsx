'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const SECTIONS = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/machines', label: 'Machines' },
  { href: '/admin/jobs', label: 'Jobs' },
  { href: '/admin/ledger', label: 'Ledger' },
  { href: '/admin/health', label: 'Health' },
  { href: '/admin/audit', label: 'Audit log' },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav className="actions admin-nav" aria-label="Admin sections">
      {SECTIONS.map((s) => (
        <Link key={s.href} href={s.href} className="button secondary" aria-current={pathname === s.href ? 'page' : undefined}>
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
