'use client';

import type { Problem } from '@/compute/validate';
import type { ProblemIndex } from './problem-index';

interface ProblemsPanelProps {
  index: ProblemIndex;
  /** Selects the problem's node or edge and brings it into view. */
  onShow: (problem: Problem) => void;
}

function canShow(problem: Problem): boolean {
  return problem.nodeId !== undefined || problem.edgeId !== undefined;
}

/** Everything that stops the graph from training, live; each item leads to the element at fault. */
export function ProblemsPanel({ index, onShow }: ProblemsPanelProps) {
  const { problems } = index.validation;
  return (
    <section className="side-section problems-panel" aria-labelledby="problems-heading">
      <h2 id="problems-heading">
        Problems{' '}
        <span className={`count-badge${problems.length > 0 ? ' has-problems' : ''}`} data-testid="problem-count" aria-label={`${problems.length} problems`}>
          {problems.length}
        </span>
      </h2>
      {problems.length === 0 ? (
        <p className="problems-ok" data-testid="problems-ok">
          No problems: the model is ready to train.
        </p>
      ) : (
        <ul className="problems-list" aria-label="Problems">
          {problems.map((problem, i) => (
            <li key={`${problem.code}-${problem.nodeId ?? ''}-${problem.edgeId ?? ''}-${i}`} data-code={problem.code}>
              {canShow(problem) ? (
                <button type="button" className="problem-item" onClick={() => onShow(problem)}>
                  <span className="problem-code">{problem.code}</span> {problem.message}
                </button>
              ) : (
                <p className="problem-item">
                  <span className="problem-code">{problem.code}</span> {problem.message}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
