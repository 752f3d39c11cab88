import { describe, expect, it } from 'vitest';
import { MINIMUM_CAPS } from './caps';
import { chooseVariant } from './choose-variant';
import { linearGrid } from './grid';
import { createDefaultRegistry, kernelRegistry } from './registry';
import { tiledShape } from './matmul-tiled';

describe('chooseVariant', () => {
  it('uses barrier-free kernels on CPU adapters', () => {
    expect(chooseVariant({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' })).toBe('cpu-friendly');
    expect(chooseVariant({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe('cpu-friendly');
    expect(chooseVariant({ vendor: 'intel', architecture: 'gen-12lp' }, true)).toBe('cpu-friendly');
    expect(chooseVariant({ vendor: 'x', description: 'generic CPU device' })).toBe('cpu-friendly');
  });

  it('uses tiled kernels on GPUs', () => {
    expect(chooseVariant({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' })).toBe('tiled-shared');
    expect(chooseVariant({ vendor: 'apple', architecture: 'common-3' })).toBe('tiled-shared');
    expect(chooseVariant(undefined)).toBe('tiled-shared');
  });
});

describe('kernel registry', () => {
  it('selects the variant per op, falling back to the portable kernel', () => {
    expect(kernelRegistry.select('matmul', 'cpu-friendly').name).toBe('matmul.blocked-4x4');
    expect(kernelRegistry.select('matmul', 'tiled-shared').name).toBe('matmul.tiled-shared');
    expect(kernelRegistry.select('column-sum', 'cpu-friendly').variant).toBe('cpu-friendly');
    expect(kernelRegistry.select('adam', 'tiled-shared').name).toBe('optimizer.adam');
    expect(() => kernelRegistry.select('fft', 'tiled-shared')).toThrow(/no kernel implements op fft/);
  });

  it('covers every training op', () => {
    expect(kernelRegistry.ops()).toEqual(
      expect.arrayContaining([
        'matmul', 'activation', 'activation-grad', 'bias-add', 'column-sum', 'sum', 'softmax', 'softmax-cross-entropy',
        'mse', 'im2col', 'col2im', 'max-pool', 'max-pool-grad', 'avg-pool', 'avg-pool-grad', 'sgd', 'adam', 'adamw',
        'add', 'accumulate', 'dropout', 'batchnorm-stats', 'batchnorm', 'batchnorm-grad-params', 'batchnorm-grad',
      ]),
    );
  });

  it('every kernel carries complete metadata', () => {
    for (const def of kernelRegistry.list()) {
      expect(def.name).toMatch(/^[a-z0-9.-]+$/);
      expect(['tiled-shared', 'cpu-friendly', 'portable']).toContain(def.variant);
      expect(def.summary.length).toBeGreaterThan(10);
    }
  });

  it('rejects duplicate names', () => {
    const registry = createDefaultRegistry();
    expect(() => registry.register(kernelRegistry.get('add'))).toThrow(/already registered/);
  });
});

describe('sizing from device limits', () => {
  it('fits the tiled matmul into the guaranteed minimum limits', () => {
    const shape = tiledShape(MINIMUM_CAPS);
    expect(shape.side * shape.side).toBeLessThanOrEqual(MINIMUM_CAPS.maxInvocationsPerWorkgroup);
    expect(2 * shape.tileM * shape.tileK * 4).toBeLessThanOrEqual(MINIMUM_CAPS.maxWorkgroupStorageBytes);
  });

  it('spills large dispatches into a second grid dimension', () => {
    expect(linearGrid(70000, MINIMUM_CAPS)).toEqual([35000, 2, 1]);
    expect(linearGrid(10, MINIMUM_CAPS)).toEqual([10, 1, 1]);
    expect(() => linearGrid(65535 * 65535 + 1, MINIMUM_CAPS)).toThrow(/exceed/);
  });
});
