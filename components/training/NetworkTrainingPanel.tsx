'use client';

import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { cyxText } from '../ui/money';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { builtinChoice, choiceIdFor, NO_DATASET, storedChoice, type DatasetChoice } from './dataset-choice';
import { suggestedEpochs } from './config-form';
import { buildQuoteRequest, DEFAULT_NETWORK_FORM, networkRefusal, type NetworkField, type NetworkForm, type NetworkRefusal, type QuoteRequest } from './network-form';
import { NetworkJobsStrip } from './NetworkJobsStrip';
import { formFromRun, runDatasetChoice, useNetworkStartRequest, type NetworkStartRun } from './network-start';
import { formatDuration } from './ProgressBar';
import { describeSpeed } from '../../server/jobs/unit-speed';

function refusalOf(error: unknown): NetworkRefusal {
  const appCode = error instanceof TRPCClientError ? (error.data as { appCode?: string } | undefined)?.appCode : undefined;
  return networkRefusal({ appCode, message: messageOf(error), fieldErrors: fieldErrorsOf(error) });
}

function secondsText(s: number): string {
  return s < 1 ? `${Math.max(1, Math.round(s * 1000))} ms` : formatDuration(s * 1000);
}

function range(min: string, max: string, format: (v: string) => string): string {
  return min === max ? format(min) : `${format(min)} – ${format(max)}`;
}

/**
 * Train on the network: the tab's settings that a network job takes, the hardware it needs and
 * the most it may pay per hour; a quote (what it would cost, where it could run, what the escrow
 * locks) before anything is paid, then approve → the job page. Viewers see the model's jobs only.
 */
export function NetworkTrainingPanel({ modelId, readOnly }: { modelId: string; readOnly: boolean }) {
  const trpc = useTRPC();
  const id = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  // The same queries as the tab's panel: answered from the cache, no extra requests.
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const model = useQuery(trpc.models.get.queryOptions({ id: modelId }));
  const [form, setForm] = useState<NetworkForm>(DEFAULT_NETWORK_FORM);
  const [picked, setPicked] = useState<string | null>(null);
  const [asked, setAsked] = useState<QuoteRequest | null>(null);
  const [formError, setFormError] = useState<{ field: NetworkField; message: string } | null>(null);
  // "Continue on the network" from the Runs list: the run the job starts from, until removed.
  const [startRun, setStartRun] = useState<NetworkStartRun | null>(null);
  const startRequest = useNetworkStartRequest(modelId);
  const handled = useRef(0);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!startRequest || startRequest.seq === handled.current) return;
    handled.current = startRequest.seq;
    const { run } = startRequest;
    setStartRun(run);
    setForm((f) => formFromRun(f, run));
    const choice = runDatasetChoice(run.datasetId);
    if (choice) setPicked(choice);
    setAsked(null);
    setFormError(null);
    section.current?.scrollIntoView({ block: 'nearest' });
    section.current?.querySelector<HTMLElement>('[data-testid="network-start-run"]')?.focus();
  }, [startRequest]);

  const choices: DatasetChoice[] = [...(datasets.data?.builtin ?? []).map(builtinChoice), ...(datasets.data?.mine ?? []).map(storedChoice)];
  const datasetId = picked ?? choiceIdFor(model.data?.datasetId ?? null);
  const chosen = choices.find((c) => c.id === datasetId);
  const epochs = form.epochsChosen || !chosen ? form.epochs : String(suggestedEpochs(chosen.rows, { validationFraction: String(chosen.validationSplit), testFraction: '0', batchSize: form.batchSize }));
  const effective: NetworkForm = { ...form, epochs };
  const built = buildQuoteRequest(effective, modelId, datasetId, startRun?.id ?? null);
  const stale = asked !== null && (!built.ok || JSON.stringify(built.request) !== JSON.stringify(asked));

  const quote = useQuery(trpc.jobs.quote.queryOptions(asked ?? skipToken, { staleTime: 0, gcTime: 0, retry: false }));
  const submit = useMutation(
    trpc.jobs.submit.mutationOptions({
      onSuccess: ({ jobId }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.wallet.balance.queryKey() });
        router.push(`/jobs/${jobId}`);
      },
    }),
  );

  const set = <K extends keyof NetworkForm>(key: K, value: NetworkForm[K]) => {
    setForm((f) => ({ ...f, epochs, [key]: value, ...(key === 'epochs' ? { epochsChosen: true } : {}) }));
    submit.reset();
  };

  const askQuote = () => {
    submit.reset();
    if (!built.ok) {
      setFormError({ field: built.field, message: built.message });
      return;
    }
    setFormError(null);
    if (asked && JSON.stringify(asked) === JSON.stringify(built.request)) void quote.refetch();
    else setAsked(built.request);
  };

  const refusal = quote.isError ? refusalOf(quote.error) : submit.isError ? refusalOf(submit.error) : null;
  const fieldError = (field: NetworkField) => (formError?.field === field ? formError.message : refusal && 'field' in refusal && refusal.field === field ? refusal.message : undefined);

  const input = (field: Exclude<NetworkField, 'datasetId' | 'device'>, label: string, extra: { hint?: string; step?: string; min?: number } = {}) => {
    const error = fieldError(field);
    return (
      <label className="field-inline" title={extra.hint}>
        <span>{label}</span>
        <input
          type={field === 'priceCapCyx' ? 'text' : 'number'}
          inputMode="decimal"
          name={`network-${field}`}
          value={effective[field]}
          min={extra.min}
          step={extra.step ?? 'any'}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-${field}-error` : undefined}
          onChange={(e) => set(field, e.target.value)}
        />
        {error ? (
          <span className="field-error" id={`${id}-${field}-error`} role="alert">
            {error}
          </span>
        ) : null}
      </label>
    );
  };

  const q = quote.data;
  return (
    <section ref={section} className="training-panel side-section" aria-labelledby={`${id}-heading`} data-testid="network-training">
      <h2 id={`${id}-heading`}>Train on the network</h2>
      <p className="muted">For models too big for this tab: a provider&apos;s machine trains it, paid from an escrow that only releases for verified checkpoints.</p>
      {readOnly ? (
        <p className="muted">Only the model&apos;s owner and editors send it to the network; you see its jobs below.</p>
      ) : (
        <>
          {startRun ? (
            <div className="network-start-run" data-testid="network-start-run" tabIndex={-1} role="group" aria-label="Starting point">
              <p>
                Starts from saved run <strong>“{startRun.name}”</strong>
                {startRun.checkpointStep !== null ? ` at step ${startRun.checkpointStep.toLocaleString()} (its weights and optimizer state)` : ' (its weights, with a fresh optimizer)'}. The epochs below are trained on from there.
              </p>
              <button type="button" className="button secondary" data-testid="network-start-run-remove" aria-label={`Remove the starting point ${startRun.name}`} onClick={() => { setStartRun(null); submit.reset(); }}>
                Start from scratch instead
              </button>
            </div>
          ) : null}
          <fieldset className="training-form">
            <legend className="visually-hidden">Network training settings</legend>
            <label className="field-inline wide">
              <span>Dataset</span>
              <select
                name="network-dataset"
                value={datasetId}
                aria-invalid={fieldError('datasetId') ? true : undefined}
                onChange={(e) => {
                  setPicked(e.target.value);
                  submit.reset();
                }}
              >
                {datasetId === NO_DATASET ? <option value={NO_DATASET}>Choose a dataset…</option> : null}
                {datasetId !== NO_DATASET && !chosen ? <option value={datasetId}>{datasets.isPending ? 'Loading…' : 'The model’s dataset'}</option> : null}
                {choices.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
              {fieldError('datasetId') ? (
                <span className="field-error" role="alert">
                  {fieldError('datasetId')}
                </span>
              ) : null}
            </label>
            {input('epochs', 'Epochs', { step: '1', min: 1, hint: form.epochsChosen ? 'As you set it' : "Suggested for the dataset's size, as in the tab" })}
            {input('batchSize', 'Batch size', { step: '1', min: 1 })}
            {input('learningRate', 'Learning rate', { hint: 'Adam; empty for the default' })}
            {input('seed', 'Seed', { step: '1', min: 0, hint: 'Data order and dropout derive from it, so a resumed run matches' })}
            <label className="field-inline">
              <span>Hardware</span>
              <select name="network-device" value={form.device} onChange={(e) => set('device', e.target.value as NetworkForm['device'])}>
                <option value="gpu">GPU</option>
                <option value="cpu">CPU or GPU</option>
              </select>
            </label>
            {input('minMemoryGiB', 'Min. memory (GiB)', { min: 0, hint: 'Free memory the unit must have: VRAM for a GPU, RAM for a CPU' })}
            {input('priceCapCyx', 'Price cap (CYX/h)', { hint: 'The most a machine may charge per hour' })}
          </fieldset>
          {formError && !['epochs', 'batchSize', 'learningRate', 'seed', 'minMemoryGiB', 'priceCapCyx', 'datasetId'].includes(formError.field) ? (
            <p className="form-error" role="alert">
              {formError.message}
            </p>
          ) : null}
          <div className="button-row">
            <button type="button" className="button" onClick={askQuote} disabled={quote.isFetching} data-testid="network-quote">
              {quote.isFetching ? 'Quoting…' : q && !stale ? 'Quote again' : 'Get a quote'}
            </button>
          </div>

          {refusal ? (
            <div className="form-error" role="alert" data-testid="network-refusal" data-kind={refusal.kind}>
              <p>{refusal.message}</p>
              {refusal.kind === 'funds' ? (
                <p>
                  <Link href="/wallet">Open the Wallet</Link> to get CYX, then approve again.
                </p>
              ) : null}
              {refusal.kind === 'quote-changed' ? (
                <button type="button" className="button secondary" onClick={() => void quote.refetch().then(() => submit.reset())}>
                  See the new quote
                </button>
              ) : null}
              {refusal.kind === 'no-machine' ? <p className="muted">Machines on the network change all the time: relax a requirement or raise the cap, or try again later.</p> : null}
              {refusal.kind === 'graph' ? <p className="muted">The problems list shows where; the tab&apos;s panel checks the same.</p> : null}
            </div>
          ) : null}

          {q && !quote.isError ? (
            <div className="network-quote" data-testid="quote" aria-live="polite">
              {stale ? <p className="muted">The settings changed since this quote: get a new one before approving.</p> : null}
              <table className="table compact" aria-label="Quote">
                <tbody>
                  <tr>
                    <th scope="row">FLOPs per sample</th>
                    <td>{q.flopsPerSample.toLocaleString()}</td>
                  </tr>
                  {q.startFrom ? (
                    <tr data-testid="quote-start-from">
                      <th scope="row">Starts from</th>
                      <td>
                        run “{q.startFrom.runName}” at step {q.startFrom.step.toLocaleString()}
                        : {q.startFrom.finishesEpoch ? `finishes epoch ${q.startFrom.epochsDone}, then ` : ''}trains epochs {q.startFrom.epochsDone + 1}–{q.startFrom.epochsDone + q.epochs}, {q.startFrom.steps.toLocaleString()} steps ({q.trainingFlops.toExponential(2)} FLOPs)
                      </td>
                    </tr>
                  ) : (
                    <tr>
                      <th scope="row">Samples × epochs</th>
                      <td>
                        {q.trainingSamples.toLocaleString()} × {q.epochs.toLocaleString()} = {(q.trainingSamples * q.epochs).toLocaleString()} ({q.trainingFlops.toExponential(2)} FLOPs)
                      </td>
                    </tr>
                  )}
                  <tr>
                    <th scope="row">Matching machines</th>
                    <td data-testid="quote-matches">{q.matches}</td>
                  </tr>
                  <tr>
                    <th scope="row">Estimated time</th>
                    <td data-testid="quote-time">
                      {q.seconds.min === q.seconds.max ? secondsText(q.seconds.min) : `${secondsText(q.seconds.min)} – ${secondsText(q.seconds.max)}`}
                      <br />
                      <span className="muted">
                        {q.shape.steps.toLocaleString()} steps, {q.shape.checkpoints.toLocaleString()} checkpoint{q.shape.checkpoints === 1 ? '' : 's'}. {q.timeRule}
                      </span>
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">Estimated cost</th>
                    <td data-testid="quote-cost">{range(q.costMicro.min, q.costMicro.max, cyxText)}</td>
                  </tr>
                  <tr>
                    <th scope="row">Escrow to lock</th>
                    <td>
                      <strong data-testid="quote-escrow">{cyxText(q.escrowMicro)}</strong>
                      <br />
                      <span className="muted">{q.escrowRule} Unused escrow is refunded.</span>
                    </td>
                  </tr>
                </tbody>
              </table>
              <table className="table compact" aria-label="Machines that match">
                <thead>
                  <tr>
                    <th>Unit</th>
                    <th>Price</th>
                    <th>Speed</th>
                    <th>Time</th>
                    <th>Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {q.units.map((u) => (
                    <tr key={u.unitId}>
                      <td title={`machine ${u.machineId} · speed: ${u.speed.source}`}>
                        {u.kind.toUpperCase()} · {u.device}
                      </td>
                      <td>{cyxText(u.pricePerHourMicro)}/h</td>
                      <td data-testid="quote-speed">{describeSpeed(u.speed)}</td>
                      <td title={`${secondsText(u.seconds - u.overheadSeconds)} of FLOPs + ${secondsText(u.overheadSeconds)} of ${u.speed.source === 'measured' ? 'start-up (its measured speed holds its steps and checkpoints)' : 'start-up, steps and checkpoints'}`}>{secondsText(u.seconds)}</td>
                      <td>{cyxText(u.costMicro)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {q.matches > q.units.length ? <p className="muted">and {q.matches - q.units.length} more.</p> : null}
              <div className="button-row">
                <button
                  type="button"
                  className="button"
                  data-testid="network-approve"
                  disabled={stale || submit.isPending || submit.isSuccess || asked === null}
                  onClick={() => asked && submit.mutate({ ...asked, approvedMicro: q.escrowMicro })}
                >
                  {submit.isPending ? 'Locking the escrow…' : submit.isSuccess ? 'Submitted' : `Approve and lock ${cyxText(q.escrowMicro)}`}
                </button>
              </div>
              {submit.isSuccess ? (
                <p role="status">
                  Submitted: <Link href={`/jobs/${submit.data.jobId}`}>open the job</Link>.
                </p>
              ) : null}
            </div>
          ) : quote.isPending && asked ? (
            <p className="muted" role="status">
              Quoting…
            </p>
          ) : null}
        </>
      )}
      <NetworkJobsStrip modelId={modelId} />
    </section>
  );
}
