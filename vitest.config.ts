import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['{server,compute,collab,programs,node-runner,scripts,components}/**/*.test.ts'],
    globalSetup: ['server/testing/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // next-auth imports 'next/server' without an extension, which Node's ESM loader refuses; inlined,
    // Vite resolves it, so tests can drive the real Auth.js handlers (server/auth/sessions.test.ts).
    server: { deps: { inline: ['next-auth'] } },
  },
});
