import { DatasetLibrary } from '@/components/datasets/DatasetLibrary';

export const metadata = { title: 'Datasets' };

export default function DatasetsPage() {
  return (
    <>
      <h1>Datasets</h1>
      <DatasetLibrary />
    </>
  );
}
