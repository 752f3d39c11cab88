import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { HeldJob } from '../server/jobs/runner-protocol';
import { curl } from './helpers';

/**
 * A provider's machine driven from the spec over the runner's HTTP API, for journeys that need a
 * runner misbehaving in a way the real one never does. It registers with the provider's API key
 * (staking from the dev faucet), heartbeats so the platform sees it online and its leases stay
 * renewed, and starts every job it is leased (runner.jobStart) but never reports progress or a
 * checkpoint: a hung runner. Only the CPU unit is offered (the SwiftShader adapter is the CPU).
 */
export class HttpMachine {
  /** Every lease the heartbeats have answered, by job id: what the stuck runner "holds". */
  readonly held = new Map<string, HeldJob>();
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> = Promise.resolve();
  private lastError: string | null = null;

  private constructor(
    readonly id: string,
    readonly name: string,
    private readonly credential: string,
    private readonly client: APIRequestContext,
  ) {}

  /** Registers a machine for the provider signed in on `provider` (an API key made in its session, a faucet grant for the stake). */
  static async register(provider: Page, name: string, pricePerHourMicro: string): Promise<HttpMachine> {
    const key = await provider.request.post('/api/trpc/apiKeys.create', { data: { name: `${name} key` } });
    expect(key.status(), await key.text()).toBe(200);
    const apiKey = ((await key.json()) as { result: { data: { key: string } } }).result.data.key;
    const faucet = await provider.request.post('/api/trpc/wallet.faucet', { data: { requestId: `e2e-http-machine-${Date.now()}` } });
    expect(faucet.status(), await faucet.text()).toBe(200);

    // The runner's own call: only the API key, no session cookie.
    const anonymous = await curl();
    const registered = await anonymous.post('/api/trpc/machines.register', {
      headers: { authorization: `Bearer ${apiKey}` },
      data: {
        name,
        pricePerHourMicro,
        inventory: {
          os: { platform: 'linux', release: '6.1', arch: 'x64' },
          cpu: { model: 'e2e CPU', cores: 2, threads: 2 },
          ramBytes: 2 ** 33,
          webgpu: [{ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', isFallback: true, limits: {} }],
          nvidia: [],
          backend: 'dawn',
        },
        offer: { unitIndexes: [0] },
      },
    });
    expect(registered.status(), await registered.text()).toBe(200);
    const { machineId, credential } = ((await registered.json()) as { result: { data: { machineId: string; credential: string } } }).result.data;
    await anonymous.dispose();
    return new HttpMachine(machineId, name, credential, await curl());
  }

  private async post<T>(path: string, data: unknown): Promise<T> {
    const res = await this.client.post(`/api/trpc/${path}`, { headers: { authorization: `Bearer ${this.credential}` }, data });
    if (res.status() !== 200) throw new Error(`${path} answered ${res.status()}: ${await res.text()}`);
    return ((await res.json()) as { result: { data: T } }).result.data;
  }

  private async beat(): Promise<void> {
    const job = [...this.held.values()].at(-1);
    const answer = await this.post<{ status: string; jobs: HeldJob[] }>('runner.heartbeat', {
      machineId: this.id,
      metrics: { cpuPercent: 1, ramUsedBytes: 2 ** 30, gpus: [], job: job ? { id: job.jobId, progress: 0 } : null },
    });
    this.held.clear();
    for (const lease of answer.jobs) {
      this.held.set(lease.jobId, lease);
      // It "starts" what it is given, then hangs: no progress, no checkpoint, only heartbeats.
      if (lease.status === 'ASSIGNED') await this.post('runner.jobStart', { jobId: lease.jobId, epoch: lease.epoch });
    }
  }

  /** Heartbeats every second (the e2e server's window is 3 s, its minimum spacing 0.5 s) until stop(). */
  start(): void {
    const tick = () => {
      this.beating = this.beat()
        .then(() => void (this.lastError = null))
        .catch((error: unknown) => void (this.lastError = String(error)))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, 1_000);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** The last heartbeat's failure, if the last one failed: shown when an expectation about the machine times out. */
  get error(): string | null {
    return this.lastError;
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = null;
    if (timer) clearTimeout(timer);
    await this.beating;
    await this.client.dispose();
  }
}
