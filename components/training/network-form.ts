import { parseCyxPrice } from '../machines/format';
import { DEFAULT_EPOCHS } from './config-form';

/** "Train on the network": what the form holds (strings, as the inputs do) until it becomes a quote request. */
export interface NetworkForm {
  epochs: string;
  batchSize: string;
  /** Empty: the runner's default (the tab's Adam 0.01). */
  learningRate: string;
  seed: string;
  device: 'gpu' | 'cpu';
  /** GiB of free memory the unit must have; 0 for any. */
  minMemoryGiB: string;
  /** CYX per hour, the most a machine may charge. */
  priceCapCyx: string;
  /** The user typed epochs; until then the dataset's suggestion fills it (as the tab's form does). */
  epochsChosen: boolean;
}

export const DEFAULT_NETWORK_FORM: NetworkForm = {
  epochs: String(DEFAULT_EPOCHS),
  batchSize: '32',
  learningRate: '0.01',
  seed: '1',
  device: 'gpu',
  minMemoryGiB: '0',
  priceCapCyx: '1',
  epochsChosen: false,
};

const GIB = 2 ** 30;

export interface QuoteRequest {
  modelId: string;
  datasetId: string;
  config: { epochs: number; batchSize: number; learningRate: number | null; seed: number | null };
  requirements: { device: 'gpu' | 'cpu'; minVramBytes: number };
  priceCapMicro: string;
  /** "Continue on the network": the saved run the job starts from (server/jobs/start-from-run.ts). */
  fromRunId?: string;
}

export type NetworkField = keyof Omit<NetworkForm, 'epochsChosen'> | 'datasetId';
export type QuoteRequestResult = { ok: true; request: QuoteRequest } | { ok: false; field: NetworkField; message: string };

function wholeNumber(text: string): number | null {
  return /^\s*\d{1,10}\s*$/.test(text) ? Number(text) : null;
}

/**
 * The form as jobs.quote's input, or the first field that is wrong and why. Only shape is checked
 * here (whole numbers, a CYX amount); the server's schema owns the bounds and says them by field.
 * The training panel's dataset ids are 'builtin:…' or 'ds:<id>'; the API takes built-ins as they
 * are and stored datasets by their id.
 */
export function buildQuoteRequest(form: NetworkForm, modelId: string, datasetChoiceId: string, fromRunId: string | null = null): QuoteRequestResult {
  if (datasetChoiceId === '' || datasetChoiceId === 'file') {
    return { ok: false, field: 'datasetId', message: 'Choose a built-in or uploaded dataset: a network job trains on data the platform stores, not a file from this computer.' };
  }
  const datasetId = datasetChoiceId.startsWith('ds:') ? datasetChoiceId.slice(3) : datasetChoiceId;
  const epochs = wholeNumber(form.epochs);
  if (epochs === null || epochs < 1) return { ok: false, field: 'epochs', message: 'Epochs must be a whole number, at least 1.' };
  const batchSize = wholeNumber(form.batchSize);
  if (batchSize === null || batchSize < 1) return { ok: false, field: 'batchSize', message: 'The batch size must be a whole number, at least 1.' };
  let learningRate: number | null = null;
  if (form.learningRate.trim() !== '') {
    learningRate = Number(form.learningRate);
    if (!(Number.isFinite(learningRate) && learningRate > 0)) return { ok: false, field: 'learningRate', message: 'The learning rate must be a positive number (or empty for the default).' };
  }
  let seed: number | null = null;
  if (form.seed.trim() !== '') {
    seed = wholeNumber(form.seed);
    if (seed === null) return { ok: false, field: 'seed', message: 'The seed must be a whole number (or empty for a random one).' };
  }
  const gib = form.minMemoryGiB.trim() === '' ? 0 : Number(form.minMemoryGiB);
  if (!(Number.isFinite(gib) && gib >= 0)) return { ok: false, field: 'minMemoryGiB', message: 'The minimum memory is a number of GiB, 0 or more.' };
  const price = parseCyxPrice(form.priceCapCyx);
  if ('error' in price) return { ok: false, field: 'priceCapCyx', message: `The price cap: ${price.error}` };
  return {
    ok: true,
    request: {
      modelId,
      datasetId,
      config: { epochs, batchSize, learningRate, seed },
      requirements: { device: form.device, minVramBytes: Math.round(gib * GIB) },
      priceCapMicro: price.micro,
      ...(fromRunId ? { fromRunId } : {}),
    },
  };
}

/** The server's field paths (zod's and AppError's) mapped onto the form's inputs. */
const SERVER_FIELDS: Record<string, NetworkField> = {
  datasetId: 'datasetId',
  config: 'epochs',
  'config.epochs': 'epochs',
  'config.batchSize': 'batchSize',
  'config.learningRate': 'learningRate',
  'config.seed': 'seed',
  requirements: 'device',
  'requirements.device': 'device',
  'requirements.minVramBytes': 'minMemoryGiB',
  priceCapMicro: 'priceCapCyx',
};

export function formFieldOf(serverField: string): NetworkField | null {
  return SERVER_FIELDS[serverField] ?? null;
}

/** What the panel says about a refused quote or submission, by the error's stable code. */
export type NetworkRefusal =
  | { kind: 'funds'; message: string }
  | { kind: 'quote-changed'; message: string }
  | { kind: 'no-machine'; message: string; field: NetworkField | null }
  | { kind: 'graph'; message: string }
  | { kind: 'start-run'; message: string }
  | { kind: 'other'; message: string; field: NetworkField | null };

export function networkRefusal(error: { appCode?: string | undefined; message: string; fieldErrors?: Record<string, string> }): NetworkRefusal {
  // zod's summary names the full path ("config.epochs: …"); its fieldErrors only the top-level key.
  const path = /^([\w.]+): /.exec(error.message)?.[1];
  const field = (path ? formFieldOf(path) : null) ?? Object.keys(error.fieldErrors ?? {}).map(formFieldOf).find((f) => f !== null) ?? null;
  switch (error.appCode) {
    case 'INSUFFICIENT_FUNDS':
      return { kind: 'funds', message: error.message };
    case 'QUOTE_CHANGED':
      return { kind: 'quote-changed', message: error.message };
    case 'NO_MATCHING_MACHINE':
      return { kind: 'no-machine', message: error.message, field };
    case 'GRAPH_INVALID':
    case 'DATASET_MISMATCH':
    case 'DATASET_TOO_SMALL':
      return { kind: 'graph', message: error.message };
    case 'JOB_START_RUN_INCOMPATIBLE':
    case 'JOB_START_RUN_OTHER_MODEL':
    case 'RUN_NOT_FOUND':
    case 'RUN_CHECKPOINT_MISSING':
      return { kind: 'start-run', message: error.message };
    default:
      return { kind: 'other', message: error.message, field };
  }
}
