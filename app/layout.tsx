import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { THEME_BOOT_SCRIPT } from '@/components/theme/theme';
import { Providers } from '@/components/trpc/client';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'CyxWiz', template: '%s · CyxWiz' },
  description: 'Design neural networks together and train them on GPUs.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
