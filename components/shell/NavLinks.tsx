'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

// Icons: glyphs, so the rail needs no image files; the label stays the link's accessible name.
const LINKS = [
  { href: '/dashboard', label: 'Dashboard', icon: '⌂' },
  { href: '/models', label: 'Models', icon: '◇' },
  { href: '/datasets', label: 'Datasets', icon: '▤' },
  { href: '/jobs', label: 'Jobs', icon: '▶' },
  { href: '/machines', label: 'Machines', icon: '▣' },
  { href: '/wallet', label: 'Wallet', icon: '◎' },
  { href: '/profile', label: 'Profile', icon: '☺' },
];

export function NavLinks({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const links = isAdmin ? [...LINKS, { href: '/admin', label: 'Admin', icon: '★' }] : LINKS;
  return (
    <ul>
      {links.map((link) => {
        const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <li key={link.href}>
            <Link href={link.href} aria-current={active ? 'page' : undefined} className={active ? 'active' : undefined} title={link.label}>
              <span className="nav-icon" aria-hidden="true">
                {link.icon}
              </span>
              <span className="nav-label">{link.label}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
