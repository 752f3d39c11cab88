import { z } from 'zod';
import { collections, type DatasetDoc } from '../../db/collections';
import { AppError } from '../../errors/app-error';
import { requireOwnDataset, requireReadableDataset } from '../../datasets/access';
import { BUILTIN_DATASETS, builtinSummary, findBuiltin } from '../../datasets/builtins';
import { deleteDataset } from '../../datasets/delete';
import { listDatasets } from '../../datasets/list';
import { readPreview } from '../../datasets/previews';
import { updateDatasetSettings } from '../../datasets/settings';
import { datasetSummary } from '../../datasets/summary';
import { readingInput } from '../../datasets/reading';
import { scalingInput } from '../../datasets/scaling';
import { previewFromStored, type StoredPreview } from '../../datasets/table-view';
import { requireModel } from '../../models/access';
import { router, signedInProcedure } from '../init';
import { pageInput } from '../page-input';

const datasetId = z.string().trim().min(1, 'Choose a dataset.').max(64);

/** Records written before previews had their own collection kept it inline. */
function legacyPreview(dataset: DatasetDoc): StoredPreview {
  return (dataset as DatasetDoc & { preview?: StoredPreview }).preview ?? { rows: [], stats: [] };
}

/** Uploads go through POST /api/datasets (a file body); everything else is here. */
export const datasetsRouter = router({
  /** My datasets, newest first, a page at a time (`cursor` from `nextCursor`), and the built-in synthetic ones. */
  list: signedInProcedure.input(pageInput.optional()).query(async ({ ctx, input }) => {
    const page = await listDatasets(ctx.db, ctx.caller.user._id, input ?? {});
    return {
      mine: page.items,
      nextCursor: page.nextCursor,
      builtin: BUILTIN_DATASETS.map((b) => {
        const { preview: _preview, ...summary } = builtinSummary(b);
        return summary;
      }),
    };
  }),

  /** One dataset with its first rows and per-column statistics (from their own collection). */
  get: signedInProcedure.input(z.object({ id: datasetId })).query(async ({ ctx, input }) => {
    const builtin = findBuiltin(input.id);
    if (builtin) return { builtin: true as const, ...builtinSummary(builtin) };
    const dataset = await requireReadableDataset(ctx.db, input.id, ctx.caller.user._id);
    const preview = (await readPreview(ctx.db, dataset._id)) ?? legacyPreview(dataset);
    return { builtin: false as const, mine: dataset.ownerId.equals(ctx.caller.user._id), ...datasetSummary(dataset), preview: previewFromStored(preview) };
  }),

  /** The owner renames it, picks the label column (0-based), sets the validation split or the feature scaling, or how cells are read (missing values, categorical encoding, column types). */
  update: signedInProcedure
    .input(
      z.object({
        id: datasetId,
        name: z.string().trim().min(1, 'Give the dataset a name.').max(100, 'Dataset names are at most 100 characters.').optional(),
        labelColumn: z.number({ error: 'Choose the label column.' }).int().min(0, 'Choose the label column.').optional(),
        validationSplit: z
          .number({ error: 'The validation split is a fraction such as 0.2.' })
          .min(0.05, 'Hold out at least 5% for validation.')
          .max(0.5, 'Hold out at most 50% for validation.')
          .optional(),
        preprocessing: scalingInput,
        ...readingInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const dataset = await requireOwnDataset(ctx.db, input.id, ctx.caller.user._id);
      const { id: _id, ...settings } = input;
      return datasetSummary(await updateDatasetSettings(ctx.db, dataset, settings));
    }),

  /** The owner deletes it: its files go, and models that used it no longer point at it. */
  delete: signedInProcedure.input(z.object({ id: datasetId })).mutation(async ({ ctx, input }) => {
    const dataset = await requireOwnDataset(ctx.db, input.id, ctx.caller.user._id);
    await deleteDataset(ctx.db, dataset);
    return { deleted: true as const };
  }),

  /** Sets (or, with null, clears) the dataset a model trains on: your own datasets, on models you can edit. */
  attach: signedInProcedure
    .input(z.object({ modelId: z.string().trim().min(1, 'Choose a model.').max(64), datasetId: datasetId.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const { model } = await requireModel(ctx.db, input.modelId, ctx.caller.user._id, 'editor');
      if (input.datasetId !== null && !findBuiltin(input.datasetId)) await requireOwnDataset(ctx.db, input.datasetId, ctx.caller.user._id);
      const update = input.datasetId === null ? { $unset: { datasetId: '' as const } } : { $set: { datasetId: input.datasetId } };
      const result = await collections(ctx.db).models.updateOne({ _id: model._id }, update);
      if (result.matchedCount !== 1) throw new AppError('NOT_FOUND', 'MODEL_NOT_FOUND', 'No such model, or it is not shared with you.');
      return { modelId: input.modelId, datasetId: input.datasetId };
    }),
});
