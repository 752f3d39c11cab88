import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '@/server/auth/current-user';

export default async function Home() {
  // currentUser, not auth(): a session ended by sign-out elsewhere must not bounce between here and the app.
  if (await currentUser()) redirect('/dashboard');
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
