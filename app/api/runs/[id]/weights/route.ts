import { sessionUserDoc } from '@/server/auth/current-user';
import { getDb } from '@/server/db/client';
import { AppError } from '@/server/errors/app-error';
import { runWeights } from '@/server/runs/runs';

/** A saved run's weights as a .safetensors download (checked against its SHA-256 on the way out). */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await sessionUserDoc();
  if (!user) return Response.json({ error: 'Sign in to download weights.' }, { status: 401 });
  const { id } = await params;
  try {
    const weights = await runWeights(getDb(), user._id, id);
    const filename = `${weights.name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'weights'}.safetensors`;
    return new Response(Buffer.from(weights.data), {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'X-Content-SHA256': weights.sha256,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: error.message, code: error.code }, { status: error.kind === 'NOT_FOUND' ? 404 : 403 });
    throw error;
  }
}
