import { describe, expect, it } from 'vitest';
import { chooseBackend, needsCudaProbe, parseBackendFlag, type BackendFacts } from './backend-choice';
import { resolveBackend, withBackend } from './backend-probe';
import type { Inventory } from './inventory';
import { EXIT_USAGE } from './runner-error';

const gpuAdapter = { vendor: 'nvidia', description: 'NVIDIA H100', isFallback: false };
const swiftshader = { vendor: 'google', description: 'SwiftShader driver', isFallback: true };
const h100 = { name: 'NVIDIA H100 80GB HBM3' };
const facts = (over: Partial<BackendFacts>): BackendFacts => ({ webgpu: [], nvidia: [], torchInstalled: false, torchCuda: undefined, ...over });

describe('the automatic backend choice', () => {
  it('takes a real Dawn adapter first, even with CUDA and torch there', () => {
    expect(chooseBackend(facts({ webgpu: [swiftshader, gpuAdapter], nvidia: [h100], torchInstalled: true, torchCuda: true }))).toMatchObject({ backend: 'dawn', reason: expect.stringContaining('NVIDIA H100') });
  });

  it('else torch on CUDA when nvidia-smi finds a GPU and torch reports CUDA', () => {
    expect(chooseBackend(facts({ webgpu: [swiftshader], nvidia: [h100], torchInstalled: true, torchCuda: true })).backend).toBe('torch-cuda');
    // CUDA needs both: a GPU nvidia-smi lists and torch able to use it.
    expect(chooseBackend(facts({ webgpu: [swiftshader], nvidia: [h100], torchInstalled: true, torchCuda: false }))).toMatchObject({ backend: 'torch-cpu', reason: expect.stringContaining('torch sees no CUDA') });
    expect(chooseBackend(facts({ webgpu: [swiftshader], nvidia: [], torchInstalled: true, torchCuda: true })).backend).toBe('torch-cpu');
  });

  it("else torch on the CPU when installed, else Dawn's CPU adapter, else none with how to get one", () => {
    expect(chooseBackend(facts({ webgpu: [swiftshader], torchInstalled: true })).backend).toBe('torch-cpu');
    expect(chooseBackend(facts({ webgpu: [swiftshader] }))).toMatchObject({ backend: 'dawn', reason: expect.stringContaining("Dawn's CPU adapter google SwiftShader driver") });
    const none = chooseBackend(facts({}));
    expect(none.backend).toBeNull();
    expect(none.reason).toMatch(/^Dawn found no WebGPU adapter: install libvulkan1.*; PyTorch is not installed: run `bash scripts\/setup.sh test`/);
  });

  it('asks torch about CUDA only when the answer can change the choice', () => {
    const base = { webgpu: [swiftshader], nvidia: [h100], torchInstalled: true };
    expect(needsCudaProbe(base, 'auto')).toBe(true);
    expect(needsCudaProbe(base, 'torch-cuda')).toBe(true);
    expect(needsCudaProbe(base, 'torch-cpu')).toBe(false);
    expect(needsCudaProbe(base, 'dawn')).toBe(false);
    expect(needsCudaProbe({ ...base, webgpu: [gpuAdapter] }, 'auto')).toBe(false);
    expect(needsCudaProbe({ ...base, nvidia: [] }, 'auto')).toBe(false);
    expect(needsCudaProbe({ ...base, torchInstalled: false }, 'torch-cuda')).toBe(false);
  });
});

describe('a forced backend', () => {
  it('is used when available, whatever auto would pick', () => {
    const all = facts({ webgpu: [gpuAdapter], nvidia: [h100], torchInstalled: true, torchCuda: true });
    expect(chooseBackend(all, 'torch-cpu').backend).toBe('torch-cpu');
    expect(chooseBackend(all, 'torch-cuda').backend).toBe('torch-cuda');
    expect(chooseBackend(facts({ webgpu: [swiftshader], torchInstalled: true }), 'dawn')).toMatchObject({ backend: 'dawn', reason: expect.stringContaining("Dawn's CPU adapter") });
  });

  it('is a BACKEND_UNAVAILABLE naming what is missing and how to install it', () => {
    const fails = (f: BackendFacts, flag: 'dawn' | 'torch-cuda' | 'torch-cpu') => {
      try {
        chooseBackend(f, flag);
      } catch (error) {
        expect(error).toMatchObject({ code: 'BACKEND_UNAVAILABLE', exitCode: 1 });
        return (error as Error).message;
      }
      throw new Error(`${flag} was chosen`);
    };
    expect(fails(facts({ torchInstalled: true }), 'dawn')).toMatch(/^--backend dawn is not available here\. Dawn found no WebGPU adapter: install libvulkan1/);
    expect(fails(facts({ torchInstalled: true, torchCuda: true }), 'torch-cuda')).toMatch(/nvidia-smi finds no NVIDIA GPU: install the NVIDIA driver/);
    expect(fails(facts({ nvidia: [h100] }), 'torch-cuda')).toMatch(/PyTorch is not installed: run `bash scripts\/setup.sh test`, or: python3 -m venv/);
    expect(fails(facts({ nvidia: [h100], torchInstalled: true, torchCuda: false }), 'torch-cuda')).toMatch(/torch\.cuda\.is_available\(\) is false although nvidia-smi lists NVIDIA H100/);
    expect(fails(facts({ webgpu: [gpuAdapter] }), 'torch-cpu')).toMatch(/--backend torch-cpu is not available here\. PyTorch is not installed/);
  });
});

describe('the --backend flag', () => {
  it('defaults to auto and refuses anything else than the four with exit 2', () => {
    expect(parseBackendFlag(undefined)).toBe('auto');
    expect(parseBackendFlag('torch-cuda')).toBe('torch-cuda');
    expect(() => parseBackendFlag('cuda')).toThrow(expect.objectContaining({ code: 'BACKEND_INVALID', exitCode: EXIT_USAGE }));
  });
});

describe('resolving against the machine', () => {
  const inventory = { webgpu: [{ ...swiftshader, architecture: 'swiftshader', limits: {} }], nvidia: [{ ...h100, vramBytes: 1, driver: '550', cuda: '12.4' }] };

  it('probes torch for CUDA only when it matters, and a torch that fails to start counts as no CUDA', async () => {
    let probes = 0;
    const sources = (cuda: boolean | Error) => ({
      torchInstalled: () => true,
      torchCuda: async () => {
        probes++;
        if (cuda instanceof Error) throw cuda;
        return cuda;
      },
    });
    expect((await resolveBackend(inventory, 'auto', sources(true))).backend).toBe('torch-cuda');
    expect((await resolveBackend(inventory, 'auto', sources(new Error('TORCH_EXITED')))).backend).toBe('torch-cpu');
    expect(probes).toBe(2);
    expect((await resolveBackend(inventory, 'torch-cpu', sources(true))).backend).toBe('torch-cpu');
    expect(probes).toBe(2);
  });

  it('reports the chosen backend in the inventory, and none when there is none', () => {
    const inv: Inventory = { os: { platform: 'linux', release: '6', arch: 'x64' }, cpu: { model: 'x', cores: 2, threads: 2 }, ramBytes: 1, webgpu: [], nvidia: [] };
    expect(withBackend(inv, { backend: 'torch-cpu', reason: '' }).backend).toBe('torch-cpu');
    expect('backend' in withBackend(inv, { backend: null, reason: '' })).toBe(false);
  });
});
