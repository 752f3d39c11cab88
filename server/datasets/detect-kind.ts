/**
 * CSV or IDX, by name first and then by content: IDX files start with two zero bytes, which no text
 * file does.
 */
export function detectKind(filename: string, bytes: Uint8Array): 'csv' | 'idx' {
  const lower = filename.toLowerCase();
  if (/\.(csv|txt|tsv)$/.test(lower)) return 'csv';
  if (/(\.idx\d?|ubyte)$/.test(lower)) return 'idx';
  return bytes.length >= 2 && bytes[0] === 0 && bytes[1] === 0 ? 'idx' : 'csv';
}
