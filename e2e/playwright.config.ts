import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { WEBGPU_CHROMIUM_ARGS, chromiumPath } from './chromium';

const port = Number(process.env.E2E_PORT ?? 3100);
// Same value in the runner and its workers, so tests can find the server's runtime.json.
export const E2E_DATA_DIR = path.join(os.tmpdir(), `cyxwiz-e2e-${port}`);
process.env.E2E_DATA_DIR = E2E_DATA_DIR;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e.json' }]],
  outputDir: '../test-results/e2e',
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath(), args: WEBGPU_CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    // The app exactly as `npm start` runs it, on a throw-away data folder.
    command: `rm -rf ${E2E_DATA_DIR} && node --import tsx scripts/start.ts --port ${port} --data-dir ${E2E_DATA_DIR}`,
    cwd: '..',
    url: `http://localhost:${port}/api/trpc/health.ping`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    // Machines: a 3 s online window and 0.5 s heartbeat spacing, so machines.spec sees offline quickly.
    env: { SIGNIN_LIMIT_PER_IP: '200/900', SIGNUP_LIMIT_PER_IP: '200/900', ADMIN_EMAILS: '', CYXWIZ_MACHINE_ONLINE_MS: '3000', CYXWIZ_HEARTBEAT_MIN_INTERVAL_MS: '500' },
  },
});
