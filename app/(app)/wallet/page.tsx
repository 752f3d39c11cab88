import { EmptyState } from '@/components/ui/EmptyState';

export const metadata = { title: 'Wallet' };

export default function WalletPage() {
  return (
    <>
      <h1>Wallet</h1>
      <EmptyState title="Your wallet is empty">Your balance, escrowed funds for running jobs and earnings from your machines will be shown here.</EmptyState>
    </>
  );
}
