/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // `npm test` typechecks the whole repository once; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // Native and server-only packages stay out of the bundles. Yjs too: the collaboration server
  // (started by scripts/start.ts in the same process) and the app's routes must share one copy, or
  // Yjs warns "already imported" and its instanceof checks fail between the two.
  serverExternalPackages: ['@node-rs/argon2', 'mongodb', 'yjs'],
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
