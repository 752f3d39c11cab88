import { getDb } from '@/server/db/client';
import { handleCheckpointUpload } from '@/server/jobs/http/checkpoint-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function PUT(request: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  if (!/^[0-9a-f]{24}$/.test(jobId)) return Response.json({ code: 'JOB_NOT_FOUND', message: 'No such job.', field: 'jobId' }, { status: 404 });
  return handleCheckpointUpload(request, getDb(), jobId);
}
