import os from 'node:os';
import { queryNvidiaInventory, type NvidiaGpu } from './nvidia-smi';
import type { Inventory } from '../server/machines/schema';
import { probeWebgpuAdapters, type WebgpuAdapter } from './webgpu-adapters';

/** What this machine has, as sent at registration and again when it changes. */
export type { Inventory } from '../server/machines/schema';

/** Where inventory comes from; tests pass their own sources. */
export interface InventorySources {
  webgpu: () => Promise<WebgpuAdapter[]>;
  nvidia: () => Promise<NvidiaGpu[]>;
}

export const systemInventorySources: InventorySources = { webgpu: probeWebgpuAdapters, nvidia: queryNvidiaInventory };

/**
 * Physical cores are not in node:os; a Linux /proc/cpuinfo would say, but hyper-threading makes
 * any portable guess wrong on some machines, so cores = threads unless a source knows better.
 */
export async function collectInventory(sources: InventorySources = systemInventorySources): Promise<Inventory> {
  const cpus = os.cpus();
  const threads = Math.max(1, cpus.length || os.availableParallelism());
  const [webgpu, nvidia] = await Promise.all([
    sources.webgpu().catch(() => []),
    sources.nvidia().catch(() => []),
  ]);
  return {
    os: { platform: os.platform().slice(0, 100), release: os.release().slice(0, 100), arch: os.arch().slice(0, 100) },
    cpu: { model: (cpus[0]?.model.trim() || 'unknown CPU').slice(0, 200), cores: threads, threads },
    ramBytes: os.totalmem(),
    webgpu: webgpu.slice(0, 16),
    nvidia: nvidia.slice(0, 16),
  };
}

/** The platform's own hash (pure), so the runner's and the server's always agree. */
export { inventoryHash } from '../server/machines/inventory-hash';
