import { handleDatasetDownload } from '@/server/datasets/http/download-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleDatasetDownload(request, (await params).id);
}
