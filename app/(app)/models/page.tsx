import { ModelList } from '@/components/models/ModelList';

export const metadata = { title: 'Models' };

export default function ModelsPage() {
  return (
    <>
      <h1>Models</h1>
      <ModelList />
    </>
  );
}
