import type { Db, ObjectId } from 'mongodb';
import { modelFacts, trainingFlops } from '../../compute/model-facts';
import { checkDatasetFit, validateGraph, type Problem } from '../../compute/validate';
import type { ModelDoc } from '../db/collections';
import { requireReadableDataset } from '../datasets/access';
import { builtinSummary, findBuiltin } from '../datasets/builtins';
import { AppError } from '../errors/app-error';
import { requireModel } from '../models/access';
import type { JobRequirements, JobTrainingConfig } from './collections';
import { quoteOver, type QuotedUnit } from './quote';
import { freshRunShape, RUN_OVERHEAD_WORDS, type RunShape } from './run-overhead';
import { loadSchedulableUnits } from './schedulable-units';
import { continuedFlops, resolveStartRun, type StartRun } from './start-from-run';

export interface QuoteInput {
  modelId: string;
  datasetId: string;
  config: JobTrainingConfig;
  requirements: JobRequirements;
  priceCapMicro: string;
  /** "Continue on the network": a saved run of this model to start from (start-from-run.ts). */
  fromRunId?: string | null | undefined;
}

export interface JobQuote {
  modelId: string;
  datasetId: string;
  /** compute/model-facts: training FLOPs for one example (forward + backward). */
  flopsPerSample: number;
  /** The dataset's rows less its validation split (rounded as the split rounds it). */
  trainingSamples: number;
  epochs: number;
  trainingFlops: number;
  /** Optimizer steps and checkpoints the run has: what its overhead is counted on (run-overhead.ts). */
  shape: RunShape;
  /** How the time is estimated, in words: FLOPs at each unit's speed plus the overheads. */
  timeRule: string;
  matches: number;
  seconds: { min: number; max: number };
  costMicro: { min: string; max: string };
  escrowMicro: string;
  escrowRule: string;
  /** The fastest matches (at most QUOTE_UNITS_SHOWN), so the form can say where it may run. */
  units: QuotedUnit[];
  /** Started from a run: where training starts; trainingFlops counts only the steps from there. */
  startFrom: { runId: string; runName: string; step: number; epochsDone: number; finishesEpoch: boolean; steps: number; resumesOptimizer: boolean } | null;
}

export const QUOTE_UNITS_SHOWN = 10;
/** A measured speed already holds its steps and checkpoints (run-overhead.ts): the per-unit times say so in their titles. */
export const TIME_RULE = `Training FLOPs at each machine's speed, plus ${RUN_OVERHEAD_WORDS}.`;
export const ESCROW_RULE = "The dearest matching machine's estimate (price per hour × its estimated time), which never exceeds your price cap × the slowest match's time.";

function graphRefused(code: 'GRAPH_INVALID' | 'DATASET_MISMATCH', problems: readonly Problem[]): AppError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  const where = first.nodeId ? ` [${first.nodeId}]` : first.edgeId ? ` [${first.edgeId}]` : '';
  const what = code === 'GRAPH_INVALID' ? 'The model does not validate' : 'The model does not fit its dataset';
  return new AppError('BAD_REQUEST', code, `${what}: ${first.message}${where}${more}. Fix it in the editor before training on the network.`, 'modelId');
}

/** Rows, validation split and what the fit check needs, for a built-in or a readable stored dataset. */
async function datasetFacts(db: Db, datasetId: string, userId: ObjectId) {
  const builtin = findBuiltin(datasetId);
  if (builtin) {
    const s = builtinSummary(builtin);
    return { name: s.name, rows: s.rows, validationSplit: s.validationSplit, featureShape: s.featureShape, numClasses: s.numClasses };
  }
  const d = await requireReadableDataset(db, datasetId, userId);
  return { name: d.name, rows: d.rows, validationSplit: d.validationSplit, featureShape: d.featureShape, numClasses: d.numClasses };
}

/**
 * The quote for training a model on the network: checks the caller may run it (editor or owner), the
 * graph validates and fits the dataset, then prices the run over the machines online now (quote.ts).
 * Nothing is stored; submit asks again and locks what this says.
 */
export async function quoteJob(db: Db, userId: ObjectId, input: QuoteInput, now: Date): Promise<{ quote: JobQuote; model: ModelDoc; start: StartRun | null }> {
  const { model } = await requireModel(db, input.modelId, userId, 'editor');
  const dataset = await datasetFacts(db, input.datasetId, userId);
  const validation = validateGraph(model.graph);
  if (!validation.ok) throw graphRefused('GRAPH_INVALID', validation.problems);
  const misfit = checkDatasetFit(model.graph, validation, dataset);
  if (misfit.length > 0) throw graphRefused('DATASET_MISMATCH', misfit);
  const facts = modelFacts(model.graph);
  if (!facts.ok) throw graphRefused('GRAPH_INVALID', facts.problems);
  const trainingSamples = dataset.rows - Math.round(dataset.rows * dataset.validationSplit);
  if (trainingSamples < 1) throw new AppError('BAD_REQUEST', 'DATASET_TOO_SMALL', `${dataset.name} leaves no rows for training after its validation split.`, 'datasetId');
  const start = input.fromRunId ? await resolveStartRun(db, userId, model, input.fromRunId, input.datasetId) : null;
  const continued = start ? continuedFlops(facts, trainingSamples, input.config, start.startStep) : null;
  const flops = continued ? continued.flops : trainingFlops(facts, trainingSamples, input.config.epochs);
  // A run started mid-epoch finishes that epoch first: its checkpoint counts as one more.
  const shape: RunShape = continued ? { steps: continued.steps, checkpoints: input.config.epochs + (continued.finishesEpoch ? 1 : 0) } : freshRunShape(trainingSamples, input.config.batchSize, input.config.epochs);
  const core = quoteOver(await loadSchedulableUnits(db, now), input.requirements, input.priceCapMicro, flops, shape);
  return {
    model,
    start,
    quote: {
      modelId: model._id.toHexString(),
      datasetId: input.datasetId,
      flopsPerSample: facts.totals.trainingFlops,
      trainingSamples,
      epochs: input.config.epochs,
      trainingFlops: flops,
      shape,
      timeRule: TIME_RULE,
      matches: core.units.length,
      seconds: core.seconds,
      costMicro: core.costMicro,
      escrowMicro: core.escrowMicro,
      escrowRule: ESCROW_RULE,
      units: core.units.slice(0, QUOTE_UNITS_SHOWN),
      startFrom: start && continued ? { runId: start.run._id.toHexString(), runName: start.run.name, step: start.startStep, epochsDone: continued.epochsDone, finishesEpoch: continued.finishesEpoch, steps: continued.steps, resumesOptimizer: start.resumesOptimizer } : null,
    },
  };
}
