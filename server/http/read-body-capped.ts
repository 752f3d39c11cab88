/** What readBodyCapped answers when the body passed its cap. */
export const TOO_LARGE = Symbol('too large');

/**
 * Reads a request body, counting the bytes as they stream in (chunked bodies have no
 * Content-Length to trust), and stops reading the moment the count passes the cap.
 */
export async function readBodyCapped(req: Request, cap: number): Promise<Uint8Array<ArrayBuffer> | typeof TOO_LARGE> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > cap) {
    await req.body?.cancel().catch(() => undefined);
    return TOO_LARGE;
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
