import { MachinesPanel } from '@/components/machines/MachinesPanel';

export const metadata = { title: 'My machines' };

export default function MachinesPage() {
  return (
    <>
      <h1>My machines</h1>
      <MachinesPanel />
    </>
  );
}
