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
 * Non-blank records of a CSV text, split into cells. Handles \n, \r\n and \r line ends, a byte-order
 * mark and quoted cells ("a, b", "say ""hi""", and line breaks inside quotes, as RFC 4180 and
 * spreadsheet exports write them). A record's row is the file line it starts on, so errors point
 * where an editor shows them; a quote never closed is refused with the row it opened on.
 * With limits, the shape is counted first without building cells, so one line of ten million
 * commas is refused before ten million strings exist.
 */
export function csvLines(text: string, delimiter: string, limits: CsvLimits = {}): CsvLine[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (limits.maxColumns !== undefined || limits.maxCells !== undefined) checkShape(source, delimiter, limits);
  const lines: CsvLine[] = [];
  scanRecords(source, delimiter, true, (row, cells) => lines.push({ row, cells: cells! }));
  return lines;
}

function checkShape(source: string, delimiter: string, limits: CsvLimits): void {
  const maxColumns = limits.maxColumns ?? Infinity;
  const maxCells = limits.maxCells ?? Infinity;
  let cells = 0;
  let rows = 0;
  scanRecords(source, delimiter, false, (row, _cells, width) => {
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

type RecordVisitor = (row: number, cells: string[] | null, width: number) => void;

/**
 * Visits each non-blank record with the line it starts on, its width and (when `build`) its trimmed,
 * unquoted cells. A quote opens a quoted cell only where the cell so far is blank; inside it,
 * delimiters and line breaks are text and "" is one quote; after it closes, the cell's other
 * characters are kept as written.
 */
function scanRecords(source: string, delimiter: string, build: boolean, visit: RecordVisitor): void {
  if (!source.includes('"')) return scanUnquoted(source, delimiter, build, visit);
  let row = 1;
  let recordRow = 1;
  let cells: string[] = [];
  let cell = '';
  let width = 1;
  let cellBlank = true;
  let recordBlank = true;
  let quoted = false;
  let openedAt = 0;
  const endCell = () => {
    if (build) cells.push(cell.trim());
    cell = '';
    cellBlank = true;
  };
  const endRecord = () => {
    endCell();
    if (!recordBlank) visit(recordRow, build ? cells : null, width);
    cells = [];
    width = 1;
    recordBlank = true;
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          if (build) cell += '"';
          i++;
        } else quoted = false;
        continue;
      }
      if (build) cell += char;
      if (char === '\n' || (char === '\r' && source[i + 1] !== '\n')) row++;
      continue;
    }
    if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      recordRow = ++row;
    } else if (char === '"' && cellBlank) {
      cell = '';
      quoted = true;
      openedAt = row;
      cellBlank = false;
      recordBlank = false;
    } else if (source.startsWith(delimiter, i)) {
      endCell();
      width++;
      recordBlank = false;
      i += delimiter.length - 1;
    } else {
      if (build) cell += char;
      if (char !== ' ' && char !== '\t') {
        cellBlank = false;
        recordBlank = false;
      }
    }
  }
  if (quoted) {
    throw new DatasetError('CSV_UNCLOSED_QUOTE', `Row ${openedAt} opens a quoted cell that is never closed: add the missing " or remove the stray one`, { row: openedAt });
  }
  endRecord();
}

/** The common case, a file with no quotes at all: one record per line. */
function scanUnquoted(source: string, delimiter: string, build: boolean, visit: RecordVisitor): void {
  const ends = /\r\n|\n|\r/g;
  let start = 0;
  let row = 1;
  const line = (text: string, at: number) => {
    if (!/\S/.test(text)) return;
    if (build) {
      const cells = text.split(delimiter);
      for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
      visit(at, cells, cells.length);
    } else {
      let width = 1;
      for (let i = text.indexOf(delimiter); i !== -1; i = text.indexOf(delimiter, i + delimiter.length)) width++;
      visit(at, null, width);
    }
  };
  for (let end = ends.exec(source); end; end = ends.exec(source)) {
    line(source.slice(start, end.index), row++);
    start = end.index + end[0].length;
  }
  line(source.slice(start), row);
}

function amount(n: number): string {
  return n.toLocaleString('en-US');
}
