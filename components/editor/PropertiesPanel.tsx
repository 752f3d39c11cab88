'use client';

import { useId } from 'react';
import type { CanvasSession, LayerFlowNode } from '@/collab/client';
import { useCollabGraph } from '@/collab/client/hooks';
import { setLabel, setParam } from '@/collab/doc';
import { getLayer, type LayerSpec } from '@/compute/layers';
import { checkParam, paramFields } from './param-fields';
import { ParamInput } from './ParamInput';
import { nodeOutputText, nodeProblems, type ProblemIndex } from './problem-index';

interface PropertiesPanelProps {
  session: CanvasSession;
  index: ProblemIndex;
  readOnly: boolean;
}

/** Parameters and label of the one selected layer, as a form generated from its schema. */
export function PropertiesPanel({ session, index, readOnly }: PropertiesPanelProps) {
  const { nodes } = useCollabGraph(session.doc, session.local);
  const selected = nodes.filter((n) => n.selected);
  const only = selected.length === 1 ? selected[0]! : null;
  const spec = only ? getLayer(only.data.layerType) : undefined;
  return (
    <section className="side-section properties-panel" aria-labelledby="properties-heading">
      <h2 id="properties-heading">Properties</h2>
      {selected.length === 0 ? <p className="muted">Select a layer to see and edit its parameters.</p> : null}
      {selected.length > 1 ? <p className="muted">{selected.length} layers selected. Select one to edit it.</p> : null}
      {only && !spec ? <p className="field-error">Unknown layer type “{only.data.layerType}”; this layer cannot be edited.</p> : null}
      {only && spec ? <LayerForm key={only.id} node={only} spec={spec} session={session} index={index} readOnly={readOnly} /> : null}
    </section>
  );
}

function LayerForm({ node, spec, session, index, readOnly }: { node: LayerFlowNode; spec: LayerSpec; session: CanvasSession; index: ProblemIndex; readOnly: boolean }) {
  const labelId = useId();
  const params = node.data.params;
  const defaults = spec.params.safeParse({});
  const defaultValues: Record<string, unknown> = defaults.success ? defaults.data : {};
  const fields = paramFields(spec);
  const paramProblems = new Map(nodeProblems(index, node.id).filter((p) => p.param !== undefined).map((p) => [p.param!, p.message]));
  const output = nodeOutputText(index, node.id);
  return (
    <form className="layer-form" aria-label={`${spec.label} properties`} onSubmit={(e) => e.preventDefault()}>
      {/* A disabled fieldset makes every control read-only for viewers in one place. */}
      <fieldset disabled={readOnly}>
        <p className="layer-form-type">
          <strong>{spec.label}</strong> <span className="muted">{spec.description}</span>
        </p>
        <div className="field">
          <label htmlFor={labelId}>Label</label>
          <input
            id={labelId}
            type="text"
            value={node.data.label ?? ''}
            placeholder={spec.label}
            maxLength={80}
            onChange={(e) => setLabel(session.doc, node.id, e.target.value, session.origin)}
          />
        </div>
        {fields.length === 0 ? <p className="muted">This layer has no parameters.</p> : null}
        {fields.map((field) => (
          <ParamInput
            key={field.name}
            field={field}
            value={params[field.name] ?? defaultValues[field.name]}
            check={(value) => checkParam(spec, params, field.name, value)}
            onChange={(value) => setParam(session.doc, node.id, field.name, value, session.origin)}
            problem={paramProblems.get(field.name)}
          />
        ))}
        {output ? (
          <p className="layer-form-output">
            Output shape: <code data-testid="selected-output-shape">{output}</code>
          </p>
        ) : null}
      </fieldset>
    </form>
  );
}
