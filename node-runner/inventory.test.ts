import { describe, expect, it } from 'vitest';
import { InventorySchema } from '../server/machines/schema';
import { collectInventory, inventoryHash } from './inventory';
import { probeWebgpuAdapters } from './webgpu-adapters';

const h100 = { name: 'NVIDIA H100 80GB HBM3', vramBytes: 81559 * 1024 * 1024, driver: '550.54.15', cuda: '12.4' };

describe('inventory', () => {
  it('describes this machine in the shape the platform accepts, with the GPUs its sources report', async () => {
    const adapter = { vendor: 'nvidia', architecture: 'hopper', description: 'H100', isFallback: false, limits: { maxBufferSize: 2 ** 32 } };
    const inventory = await collectInventory({ webgpu: async () => [adapter], nvidia: async () => [h100] });
    expect(InventorySchema.safeParse(inventory).success).toBe(true);
    expect(inventory.cpu.threads).toBeGreaterThanOrEqual(1);
    expect(inventory.ramBytes).toBeGreaterThan(0);
    expect(inventory.webgpu).toEqual([adapter]);
    expect(inventory.nvidia).toEqual([h100]);
  });

  it('still describes the machine when a source fails (no driver, no Vulkan)', async () => {
    const inventory = await collectInventory({ webgpu: async () => { throw new Error('no ICD'); }, nvidia: async () => { throw new Error('boom'); } });
    expect(inventory.webgpu).toEqual([]);
    expect(inventory.nvidia).toEqual([]);
    expect(InventorySchema.safeParse(inventory).success).toBe(true);
  });

  it("finds Dawn's adapters here (SwiftShader, a fallback adapter) within the schema's limits", async () => {
    const adapters = await probeWebgpuAdapters();
    expect(adapters.length).toBeGreaterThanOrEqual(1);
    expect(adapters.some((a) => a.isFallback)).toBe(true);
    const inventory = await collectInventory({ webgpu: async () => adapters, nvidia: async () => [] });
    expect(InventorySchema.safeParse(inventory).success).toBe(true);
  });

  it('hashes equal inventories alike whatever the key order, and different ones differently', async () => {
    const a = await collectInventory({ webgpu: async () => [], nvidia: async () => [h100] });
    const reordered = { nvidia: a.nvidia, webgpu: a.webgpu, ramBytes: a.ramBytes, cpu: { threads: a.cpu.threads, cores: a.cpu.cores, model: a.cpu.model }, os: a.os };
    expect(inventoryHash(reordered)).toBe(inventoryHash(a));
    expect(inventoryHash({ ...a, nvidia: [] })).not.toBe(inventoryHash(a));
    expect(inventoryHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
