import { WalletView } from '@/components/wallet/WalletView';

export const metadata = { title: 'Wallet' };

export default function WalletPage() {
  return (
    <>
      <h1>Wallet</h1>
      <WalletView />
    </>
  );
}
