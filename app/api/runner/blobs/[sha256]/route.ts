import { getDb } from '@/server/db/client';
import { handleRunnerBlob } from '@/server/jobs/http/blob-route';

// GridFS streams need Node; a job's blobs are never cached.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ sha256: string }> }) {
  return handleRunnerBlob(request, getDb(), (await params).sha256);
}
