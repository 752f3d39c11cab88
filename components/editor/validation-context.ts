'use client';

import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { validateGraph } from '@/compute/validate';
import { readableProblem } from './layer-names';
import { indexProblems, type ProblemIndex } from './problem-index';
import { useLayerNames } from './use-layer-names';
import { validationStoreFor } from './validation-store';

/** The live validation of the open document, indexed by node and edge. */
export function useProblemIndex(doc: Y.Doc): ProblemIndex {
  const store = validationStoreFor(doc);
  const validation = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const names = useLayerNames(doc);
  // Messages name layers as people see them ("Dense 2"), never by id; the ids stay for the canvas.
  return useMemo(() => indexProblems({ ...validation, problems: validation.problems.map((p) => readableProblem(p, names)) }), [validation, names]);
}

const EMPTY = indexProblems(validateGraph({ nodes: [], edges: [] }));

/** Lets memoised node components read problems without threading them through React Flow's node data. */
export const ProblemIndexContext = createContext<ProblemIndex>(EMPTY);

export function useProblemIndexContext(): ProblemIndex {
  return useContext(ProblemIndexContext);
}
