import { serveOrtFile } from '@/server/ort/ort-runtime-files';

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }) {
  return serveOrtFile((await params).file);
}
