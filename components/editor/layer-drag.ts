/** The drag-and-drop payload type for a layer dragged from the palette; the data is the layer type. */
export const LAYER_DRAG_TYPE = 'application/cyxwiz-layer';

export function startLayerDrag(event: { dataTransfer: DataTransfer }, layerType: string): void {
  event.dataTransfer.setData(LAYER_DRAG_TYPE, layerType);
  // Plain text too, so dropping into a text field yields something readable rather than nothing.
  event.dataTransfer.setData('text/plain', layerType);
  event.dataTransfer.effectAllowed = 'copy';
}

/** Whether a drag carries a layer (the data itself is only readable on drop). */
export function isLayerDrag(event: { dataTransfer: DataTransfer }): boolean {
  return event.dataTransfer.types.includes(LAYER_DRAG_TYPE);
}
