import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Everything that changes what `next build` produces.
const INPUTS = ['app', 'components', 'server', 'compute', 'collab', 'programs', 'proxy.ts', 'next.config.mjs', 'package-lock.json', 'tsconfig.json'];

function hashTree(root: string, entry: string, hash: ReturnType<typeof createHash>) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  const stat = statSync(full);
  if (stat.isDirectory()) {
    for (const name of readdirSync(full).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      hashTree(root, path.join(entry, name), hash);
    }
  } else if (!/\.test\.tsx?$/.test(entry)) {
    hash.update(entry).update(readFileSync(full));
  }
}

export function sourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const entry of INPUTS) hashTree(root, entry, hash);
  return hash.digest('hex');
}

/** Runs `next build` unless the last build was made from the same sources. */
export function ensureNextBuild(root: string, log: (message: string) => void): void {
  const stampFile = path.join(root, '.next', 'cyxwiz-source-hash');
  const want = sourceHash(root);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want && existsSync(path.join(root, '.next', 'BUILD_ID'))) return;
  log('building the web app (next build; about a minute, once per change)…');
  const started = Date.now();
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'next'), ['build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('next build failed (see the output above).');
  writeFileSync(stampFile, want);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
