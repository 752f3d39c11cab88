/** The choices of how a CSV's cells are read (server/datasets/reading.ts validates the same values). */
export const MISSING_OPTIONS = [
  { value: 'refuse', label: 'Refuse the file (name the cell)' },
  { value: 'drop-rows', label: 'Drop rows that have one' },
  { value: 'mean', label: 'Fill with the training mean' },
] as const;

export const ENCODING_OPTIONS = [
  { value: 'one-hot', label: 'One-hot (a feature per category)' },
  { value: 'index', label: 'Index (one feature: 0, 1, 2…)' },
] as const;

export const HEADER_OPTIONS = [
  { value: 'auto', label: 'Detect' },
  { value: 'names', label: 'Column names' },
  { value: 'none', label: 'Data (no header)' },
] as const;

export const COLUMN_TYPE_OPTIONS = [
  { value: 'numeric', label: 'Numeric' },
  { value: 'categorical', label: 'Categorical' },
] as const;

export function MissingPolicySelect({ id, value, onChange, disabled, name }: { id: string; value?: string; onChange?: (value: string) => void; disabled?: boolean; name?: string }) {
  return (
    <select id={id} name={name} {...(onChange ? { value, onChange: (e) => onChange(e.target.value) } : { defaultValue: value })} disabled={disabled}>
      {MISSING_OPTIONS.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
