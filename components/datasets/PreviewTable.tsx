const MAX_COLUMNS = 32;

/** The first rows as the file has them; very wide data (images) shows its first columns only. */
export function PreviewTable({ columnNames, rows, labelColumn, totalRows }: { columnNames: string[]; rows: (number | string)[][]; labelColumn: number | null; totalRows: number }) {
  const shown = columnNames.length > MAX_COLUMNS ? pickColumns(columnNames.length, labelColumn) : columnNames.map((_, i) => i);
  return (
    <div className="table-scroll">
      <table className="table compact" aria-label="Preview">
        <caption>
          First {rows.length} of {totalRows.toLocaleString()} rows
          {shown.length < columnNames.length ? `; ${shown.length} of ${columnNames.length} columns shown` : ''}
        </caption>
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c} scope="col" className={c === labelColumn ? 'label-column' : undefined}>
                {columnNames[c]}
                {c === labelColumn ? ' (label)' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {shown.map((c) => (
                <td key={c} className={c === labelColumn ? 'label-column' : undefined}>
                  {row[c]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The first columns, and the label column wherever it is. */
function pickColumns(count: number, labelColumn: number | null): number[] {
  const first = Array.from({ length: MAX_COLUMNS - 1 }, (_, i) => i);
  return labelColumn !== null && labelColumn >= first.length ? [...first, labelColumn] : [...first, MAX_COLUMNS - 1].filter((c) => c < count);
}
