'use client';

import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { LayerFlowNode } from '@/collab/client';
import { getLayer } from '@/compute/layers';
import { usePeerSelection } from './peer-selection';
import { nodeOutputText, nodeProblems } from './problem-index';
import { useProblemIndexContext } from './validation-context';

function portOffsets(count: number): number[] {
  return Array.from({ length: count }, (_, i) => ((i + 1) / (count + 1)) * 100);
}

/**
 * One layer on the canvas: its ports as handles, outlined in the colours of peers who selected it,
 * and outlined in red with the validator's message when something is wrong with it.
 */
function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const spec = getLayer(data.layerType);
  const peers = usePeerSelection(id);
  const index = useProblemIndexContext();
  const problems = nodeProblems(index, id);
  const output = nodeOutputText(index, id);
  const inputs = spec?.inputs ?? [];
  const outputs = spec?.outputs ?? [];
  const outline = peers.length > 0 ? peers.map((c, i) => `0 0 0 ${2 + i * 3}px ${c}`).join(', ') : undefined;
  const first = problems[0];
  const classes = ['layer-node', `category-${spec?.category ?? 'unknown'}`, selected ? 'selected' : '', problems.length > 0 ? 'has-problem' : ''];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      style={outline ? { boxShadow: outline } : undefined}
      data-testid={`layer-node-${id}`}
      data-peer-selected={peers.length > 0 ? peers.join(' ') : undefined}
      data-problem-codes={problems.length > 0 ? problems.map((p) => p.code).join(' ') : undefined}
    >
      {inputs.map((port, i) => (
        <Handle key={port.name} type="target" position={Position.Left} id={port.name} style={{ top: `${portOffsets(inputs.length)[i]}%` }} title={port.name} />
      ))}
      <div className="layer-node-title">{data.label ?? spec?.label ?? data.layerType}</div>
      <div className="layer-node-type">{spec ? data.layerType : `Unknown layer "${data.layerType}"`}</div>
      {output ? <div className="layer-node-shape">→ {output}</div> : null}
      {first ? (
        <div className="layer-node-problem" role="note" title={problems.map((p) => p.message).join('\n')}>
          <span aria-hidden="true">⚠ </span>
          {first.message}
          {problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}
        </div>
      ) : null}
      {outputs.map((port, i) => (
        <Handle key={port.name} type="source" position={Position.Right} id={port.name} style={{ top: `${portOffsets(outputs.length)[i]}%` }} title={port.name} />
      ))}
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
