import type { MachineDoc, UnitDoc } from './collections';
import type { Inventory, Metrics } from './schema';

// The JSON-text fields of a machine document (see MachineDoc for why they are text). They are
// written only from validated input, so reading them back trusts their shape.

export function unitsOf(doc: Pick<MachineDoc, 'unitsJson'>): UnitDoc[] {
  return JSON.parse(doc.unitsJson) as UnitDoc[];
}

export function inventoryOf(doc: Pick<MachineDoc, 'inventoryJson'>): Inventory {
  return JSON.parse(doc.inventoryJson) as Inventory;
}

export function metricsOf(doc: Pick<MachineDoc, 'metricsJson'>): Metrics | null {
  return doc.metricsJson === null ? null : (JSON.parse(doc.metricsJson) as Metrics);
}
