'use client';

import { useId } from 'react';
import { PREPROCESSING_KINDS } from '@/compute/data/preprocessing';
import { DEFAULT_EPOCHS, FIELD_BOUNDS, MAX_HELD_OUT, MIN_DEFAULT_STEPS, PREPROCESSING_LABELS, type ConfigForm, type NumberField } from './config-form';

export interface DatasetOption {
  readonly id: string;
  readonly label: string;
  /** Why it cannot be chosen, when it cannot. */
  readonly disabled?: string | undefined;
}

interface TrainingFormProps {
  readonly form: ConfigForm;
  readonly onChange: (form: ConfigForm) => void;
  readonly datasets: readonly DatasetOption[];
  readonly datasetId: string;
  readonly onDataset: (id: string) => void;
  readonly onFile: (file: File | null) => void;
  readonly error: { field: string; message: string } | null;
  readonly disabled: boolean;
}

/** Dataset and training settings; bounds come from compute's schemas (config-form.ts). */
export function TrainingForm({ form, onChange, datasets, datasetId, onDataset, onFile, error, disabled }: TrainingFormProps) {
  const id = useId();
  const set = <K extends keyof ConfigForm>(key: K, value: ConfigForm[K]) => onChange({ ...form, [key]: value });
  const field = (key: NumberField, label: string, extra: { min?: number | undefined; max?: number | undefined; step?: string; title?: string } = {}) => (
    <label className="field-inline" title={extra.title}>
      <span>{label}</span>
      <input
        type="number"
        inputMode="decimal"
        value={form[key]}
        min={extra.min}
        max={extra.max}
        step={extra.step ?? 'any'}
        disabled={disabled}
        aria-invalid={error?.field === key || undefined}
        aria-describedby={error?.field === key ? `${id}-error` : undefined}
        onChange={(e) => onChange({ ...form, [key]: e.target.value, ...(key === 'epochs' ? { epochsChosen: true } : {}) })}
      />
    </label>
  );
  return (
    <fieldset className="training-form" disabled={disabled}>
      <legend className="visually-hidden">Training settings</legend>
      <label className="field-inline wide">
        <span>Dataset</span>
        <select value={datasetId} onChange={(e) => onDataset(e.target.value)}>
          {datasets.map((d) => (
            <option key={d.id} value={d.id} disabled={Boolean(d.disabled)} title={d.disabled}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {datasetId === 'file' ? (
        <label className="field-inline wide">
          <span>CSV file (label in the last column)</span>
          <input type="file" accept=".csv,text/csv" onChange={(e) => onFile(e.target.files?.[0] ?? null)} />
        </label>
      ) : null}
      <label className="field-inline wide" title="Fitted on the training split only; saved with the run and built into every export">
        <span>Feature scaling</span>
        <select value={form.preprocessing} data-testid="preprocessing" onChange={(e) => set('preprocessing', e.target.value as ConfigForm['preprocessing'])}>
          {PREPROCESSING_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {PREPROCESSING_LABELS[kind]}
            </option>
          ))}
        </select>
      </label>
      {field('epochs', 'Epochs', { ...FIELD_BOUNDS.epochs, step: '1', title: form.epochsChosen ? 'As you set it' : `Suggested for the dataset's size: at least ${MIN_DEFAULT_STEPS} optimizer steps, and never fewer than ${DEFAULT_EPOCHS} epochs` })}
      {field('batchSize', 'Batch size', { ...FIELD_BOUNDS.batchSize, step: '1' })}
      {field('validationFraction', 'Validation fraction', FIELD_BOUNDS.validationFraction)}
      {field('testFraction', 'Test fraction', { ...FIELD_BOUNDS.testFraction, title: `Held out from training and early stopping, scored once at the end (validation and test together at most ${MAX_HELD_OUT})` })}
      <label className="field-inline">
        <span>Early stopping</span>
        <input
          type="checkbox"
          checked={form.earlyStopping}
          disabled={disabled}
          aria-describedby={`${id}-early`}
          onChange={(e) => set('earlyStopping', e.target.checked)}
        />
      </label>
      <span id={`${id}-early`} className="visually-hidden">
        Stops when validation loss has not improved for the patience in epochs, and keeps the best epoch&apos;s weights
      </span>
      {form.earlyStopping ? (
        <>
          {field('patience', 'Patience', { ...FIELD_BOUNDS.patience, step: '1', title: 'Epochs without improvement before stopping' })}
          {field('minDelta', 'Min improvement', FIELD_BOUNDS.minDelta)}
        </>
      ) : null}
      <label className="field-inline">
        <span>Optimizer</span>
        <select value={form.optimizer} onChange={(e) => set('optimizer', e.target.value as ConfigForm['optimizer'])}>
          <option value="adam">Adam</option>
          <option value="adamw">AdamW</option>
          <option value="sgd">SGD</option>
        </select>
      </label>
      {field('lr', 'Learning rate', { min: 0, max: 10 })}
      {form.optimizer === 'sgd' ? field('momentum', 'Momentum', { min: 0, max: 0.999 }) : null}
      {field('weightDecay', 'Weight decay', { min: 0, max: 1 })}
      <label className="field-inline">
        <span>LR schedule</span>
        <select value={form.schedule} onChange={(e) => set('schedule', e.target.value as ConfigForm['schedule'])}>
          <option value="constant">Constant</option>
          <option value="step">Step decay</option>
          <option value="cosine">Cosine (over the run)</option>
        </select>
      </label>
      {form.schedule === 'step' ? (
        <>
          {field('stepSize', 'Every (steps)', { min: 1, step: '1' })}
          {field('gamma', 'Multiply by', { min: 0, max: 1 })}
        </>
      ) : null}
      {form.schedule === 'cosine' ? field('minLr', 'Final LR', { min: 0 }) : null}
      {field('seed', 'Seed', { ...FIELD_BOUNDS.seed, step: '1' })}
      {error ? (
        <p className="form-error" id={`${id}-error`} role="alert">
          {error.message}
        </p>
      ) : null}
    </fieldset>
  );
}
