import Link from 'next/link';
import { redirect } from 'next/navigation';
import { auth } from '@/server/auth/next-auth';

export default async function Home() {
  if ((await auth())?.user) redirect('/dashboard');
  return (
    <main className="landing">
      <h1>CyxWiz</h1>
      <p className="lead">Design neural networks together on a shared canvas, train them in your browser on WebGPU, and send bigger jobs to GPUs on the network.</p>
      <p className="actions">
        <Link className="button primary" href="/signup">
          Create an account
        </Link>
        <Link className="button secondary" href="/signin">
          Sign in
        </Link>
      </p>
    </main>
  );
}
