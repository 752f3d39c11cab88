import * as Y from 'yjs';

/**
 * Keeps a room's document under a size cap without encoding it on every update. Yjs cannot undo an
 * applied update, so the check comes before applying: the estimate is the last measured encoded
 * size plus every update admitted since (an over-estimate: edits that overwrite or delete add less
 * than their own size), and the document is measured again only when that estimate would pass the cap.
 */
export class DocumentSize {
  private estimate: number;

  constructor(
    private readonly doc: Y.Doc,
    readonly maxBytes: number,
    initialEstimate: number,
  ) {
    this.estimate = initialEstimate;
  }

  /** Whether an update of `bytes` may be applied; an admitted update is counted. */
  admit(bytes: number): boolean {
    if (this.estimate + bytes > this.maxBytes) {
      this.estimate = Y.encodeStateAsUpdate(this.doc).byteLength;
      if (this.estimate + bytes > this.maxBytes) return false;
    }
    this.estimate += bytes;
    return true;
  }

  /** A fresh measurement taken elsewhere (e.g. the state a compaction just encoded). */
  measured(bytes: number): void {
    this.estimate = bytes;
  }
}

/** A change the server itself would make (e.g. restoring a named version) would pass the cap. */
export class DocumentTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The change would make the model's document larger than the ${maxBytes} bytes a model may hold.`);
    this.name = 'DocumentTooLargeError';
  }
}
