'use client';

import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { LayerFlowNode } from '@/collab/client';
import { getLayer } from '@/compute/layers';
import { usePeerSelection } from './peer-selection';

function portOffsets(count: number): number[] {
  return Array.from({ length: count }, (_, i) => ((i + 1) / (count + 1)) * 100);
}

/** One layer on the canvas: its ports as handles, outlined in the colours of peers who selected it. */
function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const spec = getLayer(data.layerType);
  const peers = usePeerSelection(id);
  const inputs = spec?.inputs ?? [];
  const outputs = spec?.outputs ?? [];
  const outline = peers.length > 0 ? peers.map((c, i) => `0 0 0 ${2 + i * 3}px ${c}`).join(', ') : undefined;
  return (
    <div
      className={`layer-node category-${spec?.category ?? 'unknown'}${selected ? ' selected' : ''}`}
      style={outline ? { boxShadow: outline } : undefined}
      data-testid={`layer-node-${id}`}
      data-peer-selected={peers.length > 0 ? peers.join(' ') : undefined}
    >
      {inputs.map((port, i) => (
        <Handle key={port.name} type="target" position={Position.Left} id={port.name} style={{ top: `${portOffsets(inputs.length)[i]}%` }} title={port.name} />
      ))}
      <div className="layer-node-title">{data.label ?? spec?.label ?? data.layerType}</div>
      <div className="layer-node-type">{spec ? data.layerType : `Unknown layer "${data.layerType}"`}</div>
      {outputs.map((port, i) => (
        <Handle key={port.name} type="source" position={Position.Right} id={port.name} style={{ top: `${portOffsets(outputs.length)[i]}%` }} title={port.name} />
      ))}
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
