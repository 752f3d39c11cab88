import { existsSync } from 'node:fs';

/** Debian's chromium (installed by scripts/setup.sh); Playwright's own browser downloads are not used. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}. Run \`bash scripts/setup.sh test\` or set CHROMIUM_PATH.`);
  return path;
}

/** Headless Chromium that makes no calls home (see DESIGN.md). Without the flags below it has no WebGPU adapter. */
export const BASE_CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** WebGPU on SwiftShader. */
export const WEBGPU_CHROMIUM_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', ...BASE_CHROMIUM_ARGS];
