import { DeviceApproval } from '@/components/machines/DeviceApproval';

export const metadata = { title: 'Connect a runner' };

export default async function ConnectRunnerPage({ searchParams }: { searchParams: Promise<{ code?: string | string[] }> }) {
  const { code } = await searchParams;
  return (
    <>
      <h1>Connect a runner</h1>
      <DeviceApproval initialCode={(Array.isArray(code) ? code[0] : code)?.slice(0, 20) ?? ''} />
    </>
  );
}
