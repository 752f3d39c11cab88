import { existsSync } from 'node:fs';
import { chooseBackend, needsCudaProbe, type BackendChoice, type BackendFlag } from './backend-choice';
import type { Inventory } from './inventory';
import { defaultTorchPython, TorchProcess } from './torch/torch-process';

/** The torch facts behind the backend choice; tests pass their own. */
export interface BackendSources {
  torchInstalled: () => boolean;
  /** torch.cuda.is_available() in the torch executor's Python. */
  torchCuda: () => Promise<boolean>;
}

export const systemBackendSources: BackendSources = {
  torchInstalled: () => existsSync(defaultTorchPython()),
  torchCuda: async () => {
    const torch = await TorchProcess.start({ device: 'auto' });
    try {
      return torch.info.cuda;
    } finally {
      await torch.shutdown();
    }
  },
};

/** The backend for this machine's inventory; torch is imported (seconds) only when the choice depends on CUDA. */
export async function resolveBackend(inventory: Pick<Inventory, 'webgpu' | 'nvidia'>, flag: BackendFlag, sources: BackendSources): Promise<BackendChoice> {
  const facts = { webgpu: inventory.webgpu, nvidia: inventory.nvidia, torchInstalled: sources.torchInstalled() };
  // A torch that cannot start has no CUDA to offer; a forced torch-cuda then says what is wrong.
  const torchCuda = needsCudaProbe(facts, flag) ? await sources.torchCuda().catch(() => false) : undefined;
  return chooseBackend({ ...facts, torchCuda }, flag);
}

/** The inventory as reported to the platform: with the chosen backend, when there is one. */
export function withBackend<T extends Inventory>(inventory: T, choice: BackendChoice): T {
  return choice.backend ? { ...inventory, backend: choice.backend } : inventory;
}

export function describeBackend(choice: BackendChoice): string {
  return `Backend: ${choice.backend ?? 'none'} (${choice.reason})`;
}
