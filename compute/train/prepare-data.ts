import { DatasetError, fillMissingWithTrainMean, makeBlobs, makeSpirals, MAX_INPUT_CATEGORIES, MAX_INPUT_COLUMNS, parseCsvTable, type ClassificationDataset, type CsvOptions, type Dataset, type InputColumn } from '../data';
import { applyPreprocessing, DEFAULT_PREPROCESSING, fitPreprocessing, withMissingFill, type Preprocessing, type PreprocessingKind } from '../data/preprocessing';
import { holdOut } from './holdout';

export type SyntheticName = 'spirals' | 'blobs';

/** Where the examples come from: a built-in generator, or CSV bytes (an upload or a saved dataset). */
export type DataSpec =
  | { readonly kind: 'synthetic'; readonly name: SyntheticName; readonly seed: number }
  | {
      readonly kind: 'csv';
      readonly label: string;
      readonly bytes: ArrayBuffer;
      readonly labelColumn: number | null;
      /** How the dataset says its cells are read (missing values, categorical encoding, column types); default: refuse missing, one-hot. */
      readonly reading?: Pick<CsvOptions, 'missing' | 'categoricalEncoding' | 'columnTypes' | 'header'>;
    };

export interface DataSummary {
  readonly label: string;
  readonly trainSize: number;
  readonly validationSize: number;
  /** 0 when no test share was held out. */
  readonly testSize: number;
  readonly featureShape: readonly number[];
  readonly numClasses: number;
  readonly classNames: readonly string[];
  /** Fitted on the training rows; part of the model (saved with the run, in every export). */
  readonly preprocessing: Preprocessing;
  /** A CSV's raw feature columns and their encoding, also part of the model; absent when the features are the raw values (generated data). */
  readonly inputColumns?: readonly InputColumn[];
}

export interface PreparedData {
  readonly train: Dataset;
  readonly validation: Dataset;
  /** Held out from training and early stopping; scored once when the run ends. */
  readonly test: Dataset | undefined;
  /** The validation rows before scaling: what an exported model (which scales inside) is fed. */
  readonly rawValidation: Dataset;
  /** The test rows before scaling, when there is a test split (plots are drawn in the user's units). */
  readonly rawTest: Dataset | undefined;
  readonly summary: DataSummary;
}

export const SYNTHETIC_LABELS = { spirals: 'Spirals (synthetic, 2 features, 3 classes)', blobs: 'Blobs (synthetic, 2 features, 3 classes)' } as const;

function load(spec: DataSpec): { dataset: Dataset; label: string; inputColumns?: readonly InputColumn[] } {
  if (spec.kind === 'synthetic') {
    const dataset = spec.name === 'spirals' ? makeSpirals({ pointsPerClass: 200, seed: spec.seed }) : makeBlobs({ pointsPerClass: 200, seed: spec.seed });
    return { dataset, label: SYNTHETIC_LABELS[spec.name] };
  }
  const text = new TextDecoder().decode(spec.bytes);
  // The category cap is the one the model's input columns travel under (the server's upload cap too).
  const table = parseCsvTable(text, { label: spec.labelColumn ?? -1, ...spec.reading, limits: { maxCategories: MAX_INPUT_CATEGORIES } });
  return { dataset: table.dataset, label: spec.label, ...modelInputColumns(table.inputColumns) };
}

/** The columns that travel with the model; a very wide all-numeric file goes without (its features are its raw values). */
function modelInputColumns(columns: readonly InputColumn[]): { inputColumns?: readonly InputColumn[] } {
  if (columns.length <= MAX_INPUT_COLUMNS) return { inputColumns: columns };
  if (columns.every((c) => c.kind === 'numeric')) return {};
  throw new DatasetError('CSV_TOO_MANY_COLUMNS', `The file has ${columns.length.toLocaleString('en-US')} feature columns; with categorical columns a model can take at most ${MAX_INPUT_COLUMNS.toLocaleString('en-US')}`);
}

/**
 * Builds the train/validation/test split the worker trains on (stratified, test rows drawn first),
 * then the chosen per-feature scaling fitted on the training part only (validation and test rows
 * never leak into the statistics). The fitted preprocessing goes out in the summary: it is part of
 * the model and travels with runs and exports.
 */
export function prepareData(spec: DataSpec, validationFraction: number, testFraction: number, seed: number, kind: PreprocessingKind = DEFAULT_PREPROCESSING, fitted?: Preprocessing): PreparedData {
  const { dataset, label, inputColumns } = load(spec);
  const fraction = Math.min(0.5, Math.max(0.05, validationFraction));
  const held = holdOut(dataset, { validationFraction: fraction, testFraction: Math.min(0.5, Math.max(0, testFraction)), seed });
  // Cells left missing by the dataset's 'mean' policy are filled here, from the training rows only.
  const filled = fillMissingWithTrainMean(held.train, held.validation!, ...(held.test ? [held.test] : []));
  const split = { train: filled.train, validation: filled.others[0], test: held.test ? filled.others[1] : undefined };
  // A loaded run brings the scaling its model was trained with: applied as is, never refitted.
  // Under 'mean' the fill travels with it, so Predict and the exports fill a missing value as training did.
  const fillsMissing = spec.kind === 'csv' && spec.reading?.missing === 'mean';
  const fresh = () => fitPreprocessing(split.train, kind);
  const preprocessing: Preprocessing = fitted ?? (fillsMissing ? withMissingFill(fresh(), filled.fill.means) : fresh());
  const train = applyPreprocessing(split.train, preprocessing);
  const validation = applyPreprocessing(split.validation!, preprocessing);
  const test = split.test ? applyPreprocessing(split.test, preprocessing) : undefined;
  const classification = dataset.task === 'classification' ? (dataset as ClassificationDataset) : null;
  return {
    train,
    validation,
    test,
    rawValidation: split.validation!,
    rawTest: split.test,
    summary: {
      label,
      trainSize: train.size,
      validationSize: validation.size,
      testSize: test?.size ?? 0,
      featureShape: [...dataset.featureShape],
      numClasses: classification?.numClasses ?? 0,
      classNames: classification ? [...classification.classNames] : [],
      preprocessing,
      ...(inputColumns ? { inputColumns } : {}),
    },
  };
}
