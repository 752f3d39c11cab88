import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { Inventory } from './schema';
import { refreshUnits, unitsFor } from './units';

const machineId = new ObjectId();
const base: Inventory = {
  os: { platform: 'linux', release: '6.1', arch: 'x64' },
  cpu: { model: 'Test CPU', cores: 8, threads: 16 },
  ramBytes: 32 * 2 ** 30,
  webgpu: [],
  nvidia: [],
};
const gpu = (name: string) => ({ name, vramBytes: 24 * 2 ** 30, driver: '550.1', cuda: '12.4' });

describe('compute units across inventory refreshes', () => {
  it('a GPU added ahead of the CPU leaves the CPU unit as it was (id, status, counters)', () => {
    const [cpu] = unitsFor(machineId, base, [0]);
    const worked = { ...cpu!, tasksCompleted: 7, earningsMicro: '1500000' };
    const after = refreshUnits(machineId, { ...base, nvidia: [gpu('RTX 4090')] }, [worked]);
    expect(after.map((u) => [u.kind, u.index, u.status])).toEqual([
      ['gpu', 0, 'paused'],
      ['cpu', 1, 'active'],
    ]);
    expect(after[1]).toMatchObject({ id: worked.id, tasksCompleted: 7, earningsMicro: '1500000' });
    // The new GPU gets an id no unit of this machine had.
    expect(after[0]!.id).not.toBe(worked.id);
    expect(new Set(after.map((u) => u.id)).size).toBe(2);
  });

  it('two same-named GPUs keep their own units; one removed drops only its unit', () => {
    const two = { ...base, nvidia: [gpu('A100'), gpu('A100')] };
    const units = unitsFor(machineId, two, [0, 1, 2]).map((u, i) => ({ ...u, tasksCompleted: i + 1 }));
    expect(refreshUnits(machineId, two, units)).toEqual(units);
    const one = refreshUnits(machineId, { ...base, nvidia: [gpu('A100')] }, units);
    expect(one.map((u) => [u.kind, u.id, u.tasksCompleted])).toEqual([
      ['gpu', units[0]!.id, 1],
      ['cpu', units[2]!.id, 3],
    ]);
  });
});
