import { handleDatasetUpload } from '@/server/datasets/http/upload-route';

// Parsing and GridFS need Node; uploads are never cached.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function POST(request: Request) {
  return handleDatasetUpload(request);
}
