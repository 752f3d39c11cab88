import type { DatasetErrorLocation } from './dataset-error';

/** "Row 12, column 3 (petal_length)": how every CSV error message starts. */
export function describeCell(location: DatasetErrorLocation): string {
  const parts: string[] = [];
  if (location.row !== undefined) parts.push(`Row ${location.row}`);
  if (location.column !== undefined) parts.push(`column ${location.column}${location.columnName ? ` (${location.columnName})` : ''}`);
  return parts.join(', ');
}

export function cellLocation(row: number, columnIndex: number, names: readonly string[] | undefined): DatasetErrorLocation {
  const columnName = names?.[columnIndex];
  return columnName ? { row, column: columnIndex + 1, columnName } : { row, column: columnIndex + 1 };
}
