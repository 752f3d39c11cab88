import { EmptyState } from '@/components/ui/EmptyState';

export const metadata = { title: 'Machines' };

export default function MachinesPage() {
  return (
    <>
      <h1>Machines</h1>
      <EmptyState title="No machines registered">Machines you provide to the network with the node-runner will appear here with their GPUs, status and earnings.</EmptyState>
    </>
  );
}
