'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/models', label: 'Models' },
  { href: '/datasets', label: 'Datasets' },
  { href: '/jobs', label: 'Jobs' },
  { href: '/machines', label: 'Machines' },
  { href: '/wallet', label: 'Wallet' },
  { href: '/profile', label: 'Profile' },
];

export function NavLinks({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const links = isAdmin ? [...LINKS, { href: '/admin', label: 'Admin' }] : LINKS;
  return (
    <ul>
      {links.map((link) => {
        const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <li key={link.href}>
            <Link href={link.href} aria-current={active ? 'page' : undefined} className={active ? 'active' : undefined}>
              {link.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
