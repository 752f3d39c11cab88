import { DatasetError } from './dataset-error';

export interface CsvLine {
  /** 1-based line number in the file. */
  readonly row: number;
  /** Trimmed cells with surrounding quotes removed. */
  readonly cells: string[];
}

/** Caps a caller (the upload server) puts on a file's shape; both are checked before any cell is split. */
export interface CsvLimits {
  /** The most cells one line may have. */
  readonly maxColumns?: number;
  /** The most cells in the whole file, over every non-blank line. */
  readonly maxCells?: number;
}

/**
 * Non-blank lines of a CSV text, split into cells. Handles \n, \r\n and \r line ends, a byte-order
 * mark and quoted cells ("a, b" or "say ""hi"""). Quoted line breaks are not supported: numeric
 * datasets do not have them, and keeping one line per row keeps row numbers honest.
 * With limits, the shape is counted first without building cells, so one line of ten million
 * commas is refused before ten million strings exist.
 */
export function csvLines(text: string, delimiter: string, limits: CsvLimits = {}): CsvLine[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (limits.maxColumns !== undefined || limits.maxCells !== undefined) checkShape(source, delimiter, limits);
  const lines: CsvLine[] = [];
  forEachLine(source, (line, row) => {
    if (!isBlank(line)) lines.push({ row, cells: splitCells(line, delimiter) });
  });
  return lines;
}

/** Visits each line with its 1-based number, without splitting the whole text into an array first. */
function forEachLine(source: string, visit: (line: string, row: number) => void): void {
  const ends = /\r\n|\n|\r/g;
  let start = 0;
  let row = 1;
  for (let end = ends.exec(source); end; end = ends.exec(source)) {
    visit(source.slice(start, end.index), row++);
    start = end.index + end[0].length;
  }
  visit(source.slice(start), row);
}

function isBlank(line: string): boolean {
  return !/\S/.test(line);
}

function checkShape(source: string, delimiter: string, limits: CsvLimits): void {
  const maxColumns = limits.maxColumns ?? Infinity;
  const maxCells = limits.maxCells ?? Infinity;
  let cells = 0;
  let rows = 0;
  forEachLine(source, (line, row) => {
    if (isBlank(line)) return;
    const width = countCells(line, delimiter);
    if (width > maxColumns) {
      throw new DatasetError('CSV_TOO_MANY_COLUMNS', `Row ${row} has ${amount(width)} columns; a dataset can have at most ${amount(maxColumns)}`, { row, column: maxColumns + 1 });
    }
    cells += width;
    rows++;
  });
  if (cells > maxCells) {
    throw new DatasetError('CSV_TOO_MANY_CELLS', `The file has ${amount(cells)} cells in ${amount(rows)} rows; a dataset can have at most ${amount(maxCells)} cells`);
  }
}

/** How many cells splitCells would return, counted without building them. */
function countCells(line: string, delimiter: string): number {
  let count = 1;
  if (!line.includes('"')) {
    for (let i = line.indexOf(delimiter); i !== -1; i = line.indexOf(delimiter, i + delimiter.length)) count++;
    return count;
  }
  // The same walk as splitCells, tracking only whether the cell so far has non-blank text.
  let quoted = false;
  let text = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char !== '"') text ||= !isBlank(char);
      else if (line[i + 1] === '"') {
        text = true;
        i++;
      } else quoted = false;
    } else if (char === '"' && !text) quoted = true;
    else if (line.startsWith(delimiter, i)) {
      count++;
      text = false;
      i += delimiter.length - 1;
    } else text ||= !isBlank(char);
  }
  return count;
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

function amount(n: number): string {
  return n.toLocaleString('en-US');
}
