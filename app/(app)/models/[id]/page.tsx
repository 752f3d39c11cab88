import { ModelEditor } from '@/components/editor/ModelEditor';

export const metadata = { title: 'Model editor' };

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ModelEditor modelId={id} />;
}
