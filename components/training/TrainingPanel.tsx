'use client';

import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { preprocessingWidth } from '@/compute/data/preprocessing';
import { graphHash, layerLabels, sha256Hex } from '@/compute/graph';
import { listNodes } from '@/collab/doc';
import type { TrainConfigInput } from '@/compute/train';
import { buildModelPlan } from '@/compute/model';
import { checkDatasetFit } from '@/compute/validate';
import { validationStoreFor } from '../editor/validation-store';
import { messageOf, useTRPC } from '../trpc/client';
import { DEFAULT_FORM, parseForm, PREPROCESSING_APPLIED, withDatasetSettings, type ConfigForm } from './config-form';
import { builtinChoice, choiceIdFor, downloadIdOf, factsOf, NO_DATASET, storedChoice, type DatasetChoice } from './dataset-choice';
import { EvaluationView } from './EvaluationView';
import { ExportBox } from './ExportBox';
import { graphStoreFor } from './graph-store';
import { LiveCharts } from './LiveCharts';
import { PeerRuns } from './PeerRuns';
import { SYNTHETIC_LABELS } from '@/compute/train/prepare-data';
import { outcomeDetail, progressDetail } from './progress-detail';
import { ProgressBar } from './ProgressBar';
import type { Backend, DataSpec, EvaluationReport } from './protocol';
import { publishTraining } from './room-training';
import { PredictBox } from './PredictBox';
import { RunsPanel } from './RunsPanel';
import { continueOnNetwork } from './network-start';
import { ROUTE_BODY_CAPS } from '../../server/trpc/http-caps';
import { TrainingForm, type DatasetOption } from './TrainingForm';
import { useTrainerClient, useTrainerSnapshot } from './use-trainer';

/** Parameters above which the CPU fallback is not offered: it would take minutes per epoch. */
const CPU_PARAM_LIMIT = 250_000;
const ACTIVE = new Set(['preparing', 'starting', 'running', 'paused', 'stopping']);

interface TrainingPanelProps {
  readonly modelId: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness | null;
  /** Viewers watch (peer runs, saved runs) but do not save runs. */
  readonly readOnly: boolean;
  /**
   * Which part to show (the editor's dock tabs): the form, controls and live run; evaluation and
   * prediction; saved runs; export. One instance serves every tab, so switching keeps the run.
   */
  readonly view?: PanelView;
  /** Asks the dock to show another tab (Evaluate after evaluating or loading a run, Export from the run's buttons). */
  readonly onView?: (view: PanelView) => void;
}

export type PanelView = 'train' | 'evaluate' | 'runs' | 'export';

function parameterCount(graph: Parameters<typeof buildModelPlan>[0]): number | null {
  try {
    return buildModelPlan(graph).params.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
  } catch {
    return null;
  }
}

/** The graph and data a local run started from, kept until it is saved. */
interface TrainedOn {
  readonly runId: string;
  readonly graphHash: string;
  readonly datasetId: string | null;
  readonly datasetSha256: string | null;
}

async function sha256OfBytes(bytes: ArrayBuffer): Promise<string> {
  // Web Crypto exists only in secure contexts (https, localhost); elsewhere the pure hash stands in.
  if (typeof crypto === 'undefined' || !crypto.subtle) return sha256Hex(new Uint8Array(bytes));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromBase64(base64: string): ArrayBuffer {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Train in this tab: settings, live charts, controls, evaluation, export, saved runs, and the room's other runs. */
export function TrainingPanel({ modelId, doc, awareness, readOnly, view = 'train', onView }: TrainingPanelProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const client = useTrainerClient();
  const { probe, run } = useTrainerSnapshot(client);
  const store = graphStoreFor(doc);
  const { graph, validation } = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const [form, setForm] = useState<ConfigForm>(DEFAULT_FORM);
  // The model's attached dataset is the default (with its split); a pick in this tab overrides it.
  const model = useQuery(trpc.models.get.queryOptions({ id: modelId }));
  const attachedId = model.data?.datasetId ?? null;
  const attached = useQuery(trpc.datasets.get.queryOptions(attachedId === null ? skipToken : { id: attachedId }));
  const [picked, setPicked] = useState<string | null>(null);
  const [splitFrom, setSplitFrom] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [formError, setFormError] = useState<{ field: string; message: string } | null>(null);
  const [refusal, setRefusal] = useState<string[] | null>(null);
  const [evaluation, setEvaluation] = useState<{ runId: string; report: EvaluationReport } | null>(null);
  const [evaluating, setEvaluating] = useState(false);
  const [evalError, setEvalError] = useState<string | null>(null);
  const [runName, setRunName] = useState('');
  const [trainedOn, setTrainedOn] = useState<TrainedOn | null>(null);
  const [loadingRun, setLoadingRun] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // The graph version a loaded run was checked against: continuing it needs the same one.
  const [loadedGraphHash, setLoadedGraphHash] = useState<string | null>(null);
  const currentGraphHash = useMemo(() => graphHash(graph), [graph]);
  const save = useMutation(
    trpc.runs.save.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.runs.list.infiniteQueryKey({ modelId }) }) }),
  );

  // Publishing to awareness is a subscription to an external system; no React state involved.
  useEffect(() => (client && awareness ? publishTraining(client, awareness) : undefined), [client, awareness]);

  const stored = (datasets.data?.mine ?? []).map(storedChoice);
  // Someone else's dataset attached to a model shared with me is not in my list.
  const attachedStored = attached.data && !attached.data.builtin ? storedChoice(attached.data) : undefined;
  const choices: DatasetChoice[] = [
    ...(datasets.data?.builtin ?? []).map(builtinChoice),
    ...stored,
    ...(attachedStored && !stored.some((c) => c.id === attachedStored.id) ? [attachedStored] : []),
  ];
  const datasetId = picked ?? choiceIdFor(attachedId);
  const chosen = choices.find((c) => c.id === datasetId);
  if (picked === null && chosen && splitFrom !== chosen.id) {
    // Adjusting state while rendering: the attached dataset's split and scaling arrive with the queries.
    setSplitFrom(chosen.id);
    setForm((f) => withDatasetSettings(f, chosen));
  }
  const options: DatasetOption[] = [
    ...(datasetId === NO_DATASET ? [{ id: NO_DATASET, label: 'Choose a dataset…', disabled: 'Pick the data this model trains on' }] : []),
    ...(datasetId !== NO_DATASET && datasetId !== 'file' && !chosen ? [{ id: datasetId, label: attached.isError ? 'The model’s dataset (not available to you)' : 'Loading the model’s dataset…', disabled: attached.isError ? messageOf(attached.error) : 'Still loading' }] : []),
    ...choices.map(({ id, label, disabled }) => ({ id, label, disabled })),
    { id: 'file', label: 'A CSV file from this computer…' },
  ];

  // The model is checked against the chosen data before Train is pressed; the editor shows the same problems on the nodes.
  const facts = datasetId === 'file' ? null : factsOf(chosen);
  const factsKey = JSON.stringify(facts);
  // Named as the editor names layers (a renamed layer leads with its name), like the editor's own problems.
  const mismatches = facts ? checkDatasetFit(graph, validation, facts, { labels: layerLabels(listNodes(doc)) }) : [];
  useEffect(() => {
    const editorValidation = validationStoreFor(doc);
    editorValidation.setDataset(JSON.parse(factsKey) as ReturnType<typeof factsOf>);
    return () => editorValidation.setDataset(null);
  }, [doc, factsKey]);
  const mismatchReason = mismatches.length > 0 ? `The model does not fit ${facts!.name}: ${mismatches.map((p) => p.message).join('; ')}` : undefined;

  const params = validation.ok ? parameterCount(graph) : null;
  const gpuOk = probe?.ok === true;
  const cpuAllowed = params !== null && params <= CPU_PARAM_LIMIT;
  const active = run !== null && ACTIVE.has(run.status);
  const finished = run !== null && (run.status === 'completed' || run.status === 'stopped');
  const ended = outcomeDetail(run?.outcome ?? null, run?.summary?.testSize ?? 0);

  const dataSpec = async (id: string = datasetId): Promise<{ spec: DataSpec; label: string; rows: number | null; id: string | null }> => {
    const chosen = choices.find((c) => c.id === id);
    if (id === 'file') {
      if (!file) throw new Error('Choose a CSV file first.');
      return { spec: { kind: 'csv', label: file.name, bytes: await file.arrayBuffer(), labelColumn: null }, label: file.name, rows: null, id: null };
    }
    if (id === NO_DATASET) throw new Error('Choose a dataset to train on first.');
    if (!chosen) throw new Error('The dataset is still loading; try again in a moment.');
    if (chosen.source === 'generated') {
      const name = chosen.id === 'builtin:spirals' ? 'spirals' : 'blobs';
      return { spec: { kind: 'synthetic', name, seed: 1 }, label: SYNTHETIC_LABELS[name], rows: 600, id: chosen.id };
    }
    // Stored datasets and the built-ins that ship as files (digits, iris) come as CSV from the same route.
    const res = await fetch(`/api/datasets/${encodeURIComponent(downloadIdOf(chosen))}`);
    if (!res.ok) throw new Error(`Could not load the dataset (${res.status}).`);
    return {
      spec: { kind: 'csv', label: chosen.name, bytes: await res.arrayBuffer(), labelColumn: chosen.labelColumn, ...(chosen.reading ? { reading: chosen.reading } : {}) },
      label: chosen.name,
      rows: chosen.rows,
      id: chosen.id,
    };
  };

  const start = async (backend: Backend, continueCurrent = false) => {
    setFormError(null);
    setEvalError(null);
    if (!validation.ok) {
      // Refused before anything starts: the graph's own problems are the reason.
      setRefusal(validation.problems.slice(0, 3).map((p) => p.message));
      return;
    }
    setRefusal(null);
    if (!client) return;
    try {
      const data = await dataSpec();
      const parsed = parseForm(form, data.rows);
      if (!parsed.ok) {
        setFormError({ field: parsed.field, message: parsed.message });
        return;
      }
      setEvaluation(null);
      setRunName('');
      save.reset();
      // What the run trained on, recorded when it is saved: the graph's version and the data's identity.
      const datasetSha256 = data.spec.kind === 'csv' ? await sha256OfBytes(data.spec.bytes) : null;
      if (continueCurrent && loadedGraphHash !== currentGraphHash) {
        setFormError({ field: 'form', message: 'The graph changed since the run was loaded; its weights no longer describe this model. Load a run again or train from scratch.' });
        return;
      }
      const runId = client.start(graph, data.spec, data.label, parsed.config, backend, form.preprocessing, continueCurrent);
      setTrainedOn({ runId, graphHash: graphHash(graph), datasetId: data.id, datasetSha256 });
    } catch (e) {
      setFormError({ field: 'form', message: messageOf(e) });
    }
  };

  const evaluate = async () => {
    if (!client || !run) return;
    onView?.('evaluate');
    setEvaluating(true);
    setEvalError(null);
    try {
      setEvaluation({ runId: run.runId, report: await client.evaluate() });
    } catch (e) {
      setEvalError(messageOf(e));
    } finally {
      setEvaluating(false);
    }
  };

  /** A saved run back into the worker, to evaluate, export or predict; refused when the graph changed since it trained. */
  const loadRun = async (saved: { id: string; name: string; graphHash: string | null }) => {
    if (!client) return;
    setLoadError(null);
    if (saved.graphHash !== null && saved.graphHash !== currentGraphHash) {
      setLoadError(`Cannot load “${saved.name}”: the graph changed since it trained, so its weights no longer describe this model. Undo the edits (or train again) to use it.`);
      return;
    }
    setLoadingRun(saved.id);
    try {
      const [detail, weights] = await Promise.all([queryClient.fetchQuery(trpc.runs.get.queryOptions({ id: saved.id })), queryClient.fetchQuery(trpc.runs.weights.queryOptions({ id: saved.id }))]);
      if (!detail.preprocessing) throw new Error(`“${saved.name}” was saved before runs recorded their feature scaling, so it cannot take raw rows; train and save it again.`);
      // Its own dataset when this panel offers it (split as the run split it), else the one chosen here.
      const dataId = detail.datasetId && choices.some((c) => c.id === detail.datasetId) ? detail.datasetId : datasetId;
      const data = dataId === NO_DATASET || (dataId === 'file' && !file) ? null : await dataSpec(dataId).then((d) => d.spec, () => null);
      setEvaluation(null);
      setEvalError(null);
      save.reset();
      setLoadedGraphHash(currentGraphHash);
      // A loaded run is there to be evaluated, predicted with or exported: its tab opens.
      onView?.('evaluate');
      await client.load({
        id: detail.id, name: detail.name, graph, weights: fromBase64(weights.base64), config: detail.config as TrainConfigInput, datasetLabel: detail.dataset, data,
        preprocessing: detail.preprocessing, classNames: detail.classNames, inputColumns: detail.inputColumns, epochPoints: detail.metrics.epochs,
        outcome: {
          status: detail.status, steps: detail.steps, wallTimeMs: detail.wallTimeMs, validationAccuracy: detail.finalAccuracy, validationLoss: detail.finalLoss,
          testAccuracy: detail.testAccuracy, testLoss: detail.testLoss, bestEpoch: null, stoppedEarly: false,
        },
      });
    } catch (e) {
      setLoadError(`Cannot load “${saved.name}”: ${messageOf(e)}`);
    } finally {
      setLoadingRun(null);
    }
  };

  // "Continue in this tab" on a network job's page opens /models/<id>?run=<saved run>: load it once the worker and the graph are here.
  const [runFromUrl] = useState(() => (typeof window === 'undefined' ? null : new URLSearchParams(window.location.search).get('run')));
  const loadedFromUrl = useRef(false);
  useEffect(() => {
    if (!runFromUrl || loadedFromUrl.current || !client || graph.nodes.length === 0 || datasets.isPending) return;
    loadedFromUrl.current = true;
    queryClient.fetchQuery(trpc.runs.get.queryOptions({ id: runFromUrl })).then(
      (saved) => loadRun(saved),
      (e: unknown) => setFormError({ field: 'form', message: `Cannot load the job's result: ${messageOf(e)}` }),
    );
    // loadRun is a new function every render; the ref makes this run once however often it changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runFromUrl, client, graph.nodes.length, datasets.isPending, queryClient, trpc]);

  const saveRun = async () => {
    if (!client || !run || !run.outcome) return;
    const { files } = await client.export('safetensors');
    const weights = new Uint8Array(files[0]!.bytes);
    // The optimizer state too, when the run has it, so "Continue on the network" resumes where it stopped.
    // Left out when both would not fit runs.save's body cap (server/trpc/http-caps.ts): such a run continues from its weights.
    const exported = await client.export('checkpoint').then((c) => new Uint8Array(c.files[0]!.bytes), () => null);
    const checkpoint = exported && ((exported.byteLength + weights.byteLength) * 4) / 3 < ROUTE_BODY_CAPS['runs.save']! - 4 * 1024 * 1024 ? exported : null;
    const lr = (run.config.optimizer as { lr?: number } | undefined)?.lr;
    save.mutate({
      modelId,
      clientRunId: run.runId,
      name: runName.trim() || `${run.datasetLabel.split(' (')[0]} · ${(run.config.optimizer as { type?: string } | undefined)?.type ?? 'adam'} ${lr ?? ''}`.trim(),
      config: run.config as Record<string, unknown>,
      dataset: run.datasetLabel,
      device: run.backend === 'webgpu' && probe?.ok ? `webgpu ${probe.adapter.vendor} ${probe.adapter.architecture}`.trim() : 'cpu',
      status: run.outcome.status,
      epochs: run.epochPoints.map((e) => ({ ...e })),
      batches: run.batchPoints.map((b) => ({ ...b })),
      finalAccuracy: run.outcome.validationAccuracy,
      finalLoss: run.outcome.validationLoss,
      testAccuracy: run.outcome.testAccuracy,
      testLoss: run.outcome.testLoss,
      ...(trainedOn?.runId === run.runId ? { graphHash: trainedOn.graphHash, datasetId: trainedOn.datasetId, datasetSha256: trainedOn.datasetSha256 } : {}),
      steps: run.outcome.steps,
      wallTimeMs: Math.round(run.outcome.wallTimeMs),
      // The fitted scaling is part of the model: saved with the run (the weights file records it too).
      ...(run.summary ? { preprocessing: run.summary.preprocessing, classNames: [...run.summary.classNames], ...(run.summary.inputColumns ? { inputColumns: run.summary.inputColumns.map((c) => (c.kind === 'categorical' ? { ...c, categories: [...c.categories] } : c)) } : {}) } : {}),
      weightsBase64: toBase64(weights),
      ...(checkpoint ? { checkpointBase64: toBase64(checkpoint) } : {}),
    });
  };

  const loadedNote = run?.loadedFrom ? (
    <p data-testid="loaded-run">
      Loaded saved run “{run.loadedFrom.name}”: evaluate it, export it or predict with it.
    </p>
  ) : null;
  const runLine = run ? (
    <p className="muted dock-run-line">
      Run: <strong>{run.status}</strong> · {run.datasetLabel} on {run.backend === 'webgpu' ? 'WebGPU' : 'CPU'}
    </p>
  ) : null;
  const needsRun = (what: string) => <p className="muted">{run && !finished ? `${what} once the run finishes.` : `Train a model (or load a saved run in Runs) to ${what.toLowerCase()}.`}</p>;

  if (view === 'evaluate') {
    return (
      <section className="training-panel dock-view" aria-label="Evaluate">
        {runLine}
        {loadedNote}
        {finished && client ? (
          <>
            <div className="button-row">
              <button type="button" className="button secondary" disabled={evaluating} onClick={() => void evaluate()}>
                {evaluating ? 'Evaluating…' : evaluation && evaluation.runId === run.runId ? 'Evaluate again' : 'Evaluate'}
              </button>
            </div>
            {evalError ? <p className="form-error" role="alert">{evalError}</p> : null}
            {evaluation && evaluation.runId === run.runId ? <EvaluationView report={evaluation.report} /> : null}
            {run.loadedFrom || run.summary ? (
              <PredictBox
                key={run.runId}
                client={client}
                width={preprocessingWidth(run.loadedFrom?.preprocessing ?? run.summary!.preprocessing)}
                fillsMissing={(run.loadedFrom?.preprocessing ?? run.summary!.preprocessing).fill !== undefined}
                classNames={run.loadedFrom?.classNames ?? run.summary!.classNames}
                columns={(run.loadedFrom ? run.loadedFrom.inputColumns : run.summary!.inputColumns) ?? null}
              />
            ) : null}
          </>
        ) : (
          needsRun('Evaluate')
        )}
      </section>
    );
  }
  if (view === 'export') {
    return (
      <section className="training-panel dock-view" aria-label="Export">
        {runLine}
        {loadedNote}
        {finished && client ? <ExportBox client={client} disabled={false} /> : needsRun('Export')}
      </section>
    );
  }
  if (view === 'runs') {
    return (
      <section className="training-panel dock-view" aria-label="Runs">
        {/* Mounted when the tab opens, so the list is fresh when someone looks at it. */}
        <RunsPanel
          modelId={modelId}
          graphHash={currentGraphHash}
          onLoad={client && !active ? (r) => void loadRun(r) : undefined}
          loadingId={loadingRun}
          onContinueOnNetwork={readOnly ? undefined : (r) => { continueOnNetwork(modelId, { id: r.id, name: r.name, datasetId: r.datasetId, config: r.config, checkpointStep: r.checkpoint?.optimizer === 'adam' ? r.checkpoint.step : null }); onView?.('train'); }}
        />
        {loadError ? (
          <p className="form-error" role="alert" data-testid="load-error">
            {loadError}
          </p>
        ) : null}
        <PeerRuns awareness={awareness} />
      </section>
    );
  }

  return (
    <section className="training-panel side-section" aria-labelledby="training-heading">
      <h2 id="training-heading">Train in this tab</h2>
      <p className="adapter" data-testid="adapter">
        {probe === null
          ? 'Looking for a WebGPU adapter…'
          : probe.ok
            ? `WebGPU: ${[probe.adapter.vendor, probe.adapter.architecture, probe.adapter.description].filter(Boolean).join(' · ') || 'unnamed adapter'}${probe.adapter.isFallbackAdapter ? ' (fallback adapter)' : ''}`
            : `No WebGPU: ${probe.reason}`}
      </p>

      <TrainingForm
        form={form}
        onChange={setForm}
        datasets={options}
        datasetId={datasetId}
        onDataset={(id) => {
          setPicked(id);
          // A dataset's validation split and feature scaling are part of it: the form starts from them.
          const next = choices.find((c) => c.id === id);
          if (next) setForm((f) => withDatasetSettings(f, next));
        }}
        onFile={setFile}
        error={formError}
        disabled={active}
      />

      {mismatches.length > 0 ? (
        <div className="form-error" role="status" data-testid="dataset-mismatch">
          <p>This model cannot train on {facts!.name} until it fits the data:</p>
          <ul>
            {mismatches.map((p) => (
              <li key={p.code} data-code={p.code}>
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {refusal ? (
        <div className="form-error" role="alert" data-testid="training-refused">
          <p>This graph cannot be trained yet:</p>
          <ul>
            {refusal.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="button-row">
        {gpuOk || probe === null ? (
          <button type="button" className="button" disabled={!client || active || probe === null || mismatchReason !== undefined} title={mismatchReason} onClick={() => void start('webgpu')}>
            Train on WebGPU
          </button>
        ) : null}
        {probe !== null && !probe.ok ? (
          <button type="button" className="button" disabled={!client || active || (validation.ok && !cpuAllowed) || mismatchReason !== undefined} onClick={() => void start('cpu')} title={mismatchReason ?? (cpuAllowed ? undefined : `The CPU path is for models up to ${CPU_PARAM_LIMIT.toLocaleString()} parameters`)}>
            Train on CPU
          </button>
        ) : null}
        <button type="button" className="button secondary" disabled={!active || run?.status !== 'running'} onClick={() => client?.pause()}>
          Pause
        </button>
        <button type="button" className="button secondary" disabled={run?.status !== 'paused'} onClick={() => client?.resume()}>
          Resume
        </button>
        <button type="button" className="button secondary" disabled={!active || run?.status === 'stopping'} onClick={() => client?.stop()}>
          Stop
        </button>
      </div>
      {probe !== null && !probe.ok && validation.ok && !cpuAllowed ? (
        <p className="muted">This model has {params?.toLocaleString()} parameters; the CPU path is offered up to {CPU_PARAM_LIMIT.toLocaleString()}.</p>
      ) : null}

      {run ? (
        <div className="local-run" data-testid="local-run" data-status={run.status}>
          <p>
            <strong>{run.status}</strong> · {run.datasetLabel} on {run.backend === 'webgpu' ? 'WebGPU' : 'CPU'}
            {run.summary ? ` · ${run.summary.trainSize} training / ${run.summary.validationSize} validation${run.summary.testSize ? ` / ${run.summary.testSize} test` : ''} examples · ${PREPROCESSING_APPLIED[run.summary.preprocessing.kind]}` : ''}
          </p>
          {loadedNote}
          <ProgressBar label="Training progress" step={run.step} totalSteps={run.totalSteps} detail={progressDetail(run)} />
          <p className="metrics" data-testid="run-metrics">
            loss {run.loss?.toFixed(4) ?? '—'} · accuracy {run.accuracy === null ? '—' : `${(run.accuracy * 100).toFixed(1)}%`} · validation accuracy{' '}
            <span data-testid="val-accuracy">{run.valAccuracy === null ? '—' : `${(run.valAccuracy * 100).toFixed(1)}%`}</span>
          </p>
          {ended.test ? (
            <p className="metrics" data-testid="test-metrics">
              {ended.test}
            </p>
          ) : null}
          {ended.earlyStopping ? (
            <p className="muted" data-testid="early-stopping">
              {ended.earlyStopping}
            </p>
          ) : null}
          {run.error ? (
            <p className="form-error" role="alert">
              Training failed: {run.error}
            </p>
          ) : null}
          <LiveCharts run={run} />
          {finished && client ? (
            <>
              <div className="button-row">
                <button type="button" className="button secondary" disabled={evaluating} onClick={() => void evaluate()} title="Evaluate the run (opens the Evaluate tab)">
                  {evaluating ? 'Evaluating…' : 'Evaluate'}
                </button>
                <button type="button" className="button secondary" onClick={() => onView?.('export')} title="ONNX, PyTorch code and weights (opens the Export tab)">
                  Export…
                </button>
                {run.loadedFrom ? (
                  <button
                    type="button"
                    className="button secondary"
                    data-testid="continue-training"
                    disabled={mismatchReason !== undefined || (!gpuOk && !cpuAllowed)}
                    title={mismatchReason ?? 'Train further from this run’s weights (its feature scaling kept), with the settings above'}
                    onClick={() => void start(gpuOk ? 'webgpu' : 'cpu', true)}
                  >
                    Continue training
                  </button>
                ) : null}
              </div>
              {!readOnly && !run.loadedFrom ? (
                <div className="save-run">
                  <label>
                    Run name <input value={runName} onChange={(e) => setRunName(e.target.value)} maxLength={100} placeholder="optional" />
                  </label>
                  <button type="button" className="button" disabled={save.isPending || save.isSuccess} onClick={() => void saveRun().catch((e: unknown) => setEvalError(messageOf(e)))}>
                    {save.isSuccess ? 'Saved' : save.isPending ? 'Saving…' : 'Save run'}
                  </button>
                  {save.isError ? <p className="form-error" role="alert">{messageOf(save.error)}</p> : null}
                </div>
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}

      {evalError ? <p className="form-error" role="alert">{evalError}</p> : null}
      <PeerRuns awareness={awareness} />
    </section>
  );
}
