'use client';

import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ShapedEdge as ShapedEdgeType } from './decorate-edges';

/**
 * A bezier edge labelled with the tensor shape it carries; red, with the validator's message,
 * when the connection itself is wrong.
 */
function ShapedEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd, style }: EdgeProps<ShapedEdgeType>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const problem = data?.problem;
  const shape = data?.shape;
  const text = problem ? `⚠ ${shape ? `${shape} · ` : ''}${problem}` : shape;
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} style={style ?? {}} />
      {text ? (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${problem ? ' edge-label-problem' : ''}${selected ? ' selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
            data-problem-code={data?.problemCode}
            title={problem}
          >
            {text}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const ShapedEdge = memo(ShapedEdgeView);
