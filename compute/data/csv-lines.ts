export interface CsvLine {
  /** 1-based line number in the file. */
  readonly row: number;
  /** Trimmed cells with surrounding quotes removed. */
  readonly cells: string[];
}

/**
 * Non-blank lines of a CSV text, split into cells. Handles \n, \r\n and \r line ends, a byte-order
 * mark and quoted cells ("a, b" or "say ""hi"""). Quoted line breaks are not supported: numeric
 * datasets do not have them, and keeping one line per row keeps row numbers honest.
 */
export function csvLines(text: string, delimiter: string): CsvLine[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines: CsvLine[] = [];
  const raw = source.split(/\r\n|\n|\r/);
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    if (line.trim() === '') continue;
    lines.push({ row: i + 1, cells: splitCells(line, delimiter) });
  }
  return lines;
}

function splitCells(line: string, delimiter: string): string[] {
  if (!line.includes('"')) {
    const cells = line.split(delimiter);
    for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
    return cells;
  }
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char !== '"') cell += char;
      else if (line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (char === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (line.startsWith(delimiter, i)) {
      cells.push(cell.trim());
      cell = '';
      i += delimiter.length - 1;
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}
