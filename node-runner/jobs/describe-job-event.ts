import { formatCyx } from '../cyx-amount';
import type { JobEvent } from './job-events';

/** One line for the person at the terminal per job event. */
export function describeJobEvent(event: JobEvent): string {
  const job = `Job ${event.jobId}`;
  switch (event.type) {
    case 'started':
      return `${job}: training on ${event.backend} from step ${event.startStep} of ${event.totalSteps} (${event.trainRows} training rows, ${event.validationRows} validation rows).`;
    case 'epoch': {
      const scores = [event.valLoss === null ? null : `validation loss ${event.valLoss.toFixed(4)}`, event.valAccuracy === null ? null : `accuracy ${(event.valAccuracy * 100).toFixed(1)}%`].filter(Boolean).join(', ');
      const verdict = event.answer.verified ? `checkpoint verified, ${formatCyx(event.answer.releasedMicro)} released` : `checkpoint NOT verified: ${event.answer.reason ?? 'no reason given'}`;
      return `${job}: epoch ${event.epochIndex + 1}/${event.epochs} done at step ${event.step}/${event.totalSteps}${scores ? ` (${scores})` : ''}; ${verdict}.`;
    }
    case 'completed':
      return `${job}: completed at step ${event.step}; final checkpoint ${event.sha256.slice(0, 12)}…`;
    case 'handed-back':
      return `${job}: handed back at step ${event.step}; it resumes from that checkpoint on the next machine.`;
    case 'lost':
      return `${job}: stopped and its work dropped: ${event.why}`;
    case 'failed':
      return `${job}: failed (${event.code}): ${event.reason}`;
    case 'retrying':
      return `${job}: platform unreachable (${event.message}) for ${event.what}; retry ${event.attempt} in ${event.delayMs / 1000} s.`;
  }
}
