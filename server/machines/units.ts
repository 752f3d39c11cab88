import type { ObjectId } from 'mongodb';
import type { UnitDoc } from './collections';
import type { Inventory } from './schema';

const NVIDIA = /nvidia/i;

interface UnitShape {
  kind: 'gpu' | 'cpu';
  device: string;
  vramBytes: number;
}

/**
 * The compute units an inventory describes, in their fixed order: one per NVIDIA GPU (nvidia-smi's
 * order), then one per non-fallback WebGPU adapter not matched to an NVIDIA GPU, then the CPU.
 * A WebGPU adapter from NVIDIA is the same card nvidia-smi lists, so each such adapter is matched
 * to one NVIDIA GPU in turn; fallback adapters (SwiftShader) are the CPU, which has its own unit.
 */
export function unitShapes(inventory: Inventory): UnitShape[] {
  const shapes: UnitShape[] = inventory.nvidia.map((gpu) => ({ kind: 'gpu', device: gpu.name, vramBytes: gpu.vramBytes }));
  let nvidiaToMatch = inventory.nvidia.length;
  for (const adapter of inventory.webgpu) {
    if (adapter.isFallback) continue;
    if (NVIDIA.test(adapter.vendor) && nvidiaToMatch > 0) {
      nvidiaToMatch--;
      continue;
    }
    const device = adapter.description || [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'WebGPU adapter';
    // WebGPU does not tell a card's memory; 0 says "unknown" rather than guessing from buffer limits.
    shapes.push({ kind: 'gpu', device, vramBytes: 0 });
  }
  shapes.push({ kind: 'cpu', device: inventory.cpu.model || `${inventory.cpu.cores}-core CPU`, vramBytes: inventory.ramBytes });
  return shapes;
}

export function unitId(machineId: ObjectId | string, index: number): string {
  return `${typeof machineId === 'string' ? machineId : machineId.toHexString()}-u${index}`;
}

/** The machine id a unit id names (units live inside their machine's document). */
export function machineIdOfUnit(id: string): string | null {
  const match = /^([0-9a-f]{24})-u(\d{1,2})$/.exec(id);
  return match ? match[1]! : null;
}

/** New units for a registration: offered ones active with all their memory offered, the rest paused. */
export function unitsFor(machineId: ObjectId, inventory: Inventory, offered: readonly number[]): UnitDoc[] {
  return unitShapes(inventory).map((shape, index) => {
    const on = offered.includes(index);
    return { id: unitId(machineId, index), index, ...shape, vramOffered: on ? shape.vramBytes : 0, vramReserved: 0, status: on ? 'active' : 'paused', tasksCompleted: 0, earningsMicro: '0' };
  });
}

/**
 * Units after an inventory refresh. A unit is the same unit while the same kind of device is
 * still there, wherever it now sits in the order (a GPU added ahead of the CPU must not turn the
 * CPU into a new, paused unit with its counters reset): it keeps its id, status, counters and
 * reservation. Same-named devices are matched in order, a unit at its old place first. New devices
 * start paused (the owner offers them) with an id no unit of the machine has used; units whose
 * device is gone disappear.
 */
export function refreshUnits(machineId: ObjectId, inventory: Inventory, previous: readonly UnitDoc[]): UnitDoc[] {
  const unused = new Set(previous);
  const shapes = unitShapes(inventory);
  const kept = shapes.map((shape, index) => {
    const same = [...unused].filter((u) => u.kind === shape.kind && u.device === shape.device);
    const before = same.find((u) => u.index === index) ?? same[0];
    if (before) unused.delete(before);
    return before;
  });
  const taken = new Set(kept.flatMap((u) => (u ? [u.id] : [])));
  let next = 0;
  const freshId = () => {
    while (taken.has(unitId(machineId, next))) next++;
    taken.add(unitId(machineId, next));
    return unitId(machineId, next);
  };
  return shapes.map((shape, index) => {
    const before = kept[index];
    if (before) return { ...before, index, vramBytes: shape.vramBytes, vramOffered: Math.min(before.vramOffered, shape.vramBytes) };
    return { id: freshId(), index, ...shape, vramOffered: 0, vramReserved: 0, status: 'paused', tasksCompleted: 0, earningsMicro: '0' };
  });
}
