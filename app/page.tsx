import Link from 'next/link';
import { redirect } from 'next/navigation';
import { DEFAULT_NODE_SIZE, layeredLayout } from '@/components/editor/auto-layout';
import { LandingDemo } from '@/components/landing/LandingDemo';
import { currentUser } from '@/server/auth/current-user';
import { findTemplate } from '@/server/models/templates';

const FEATURES = [
  { title: 'Design together', text: 'A shared canvas: drag layers, wire them, and see shapes and errors as you go, with everyone’s cursors live.' },
  { title: 'Train in your tab', text: 'Small models train right in the browser on WebGPU, with live loss and accuracy charts and runs to compare.' },
  { title: 'Scale out to GPUs', text: 'Quote a bigger job, pay from escrow, and watch it train on a provider’s machine; the weights come back to you.' },
];

export default async function Home() {
  // currentUser, not auth(): a session ended by sign-out elsewhere must not bounce between here and the app.
  if (await currentUser()) redirect('/dashboard');
  const template = findTemplate('cnn');
  const graph = template.build();
  // Laid out for the demo's box (about 600x416) the way the editor's Auto layout would: the chain wraps into rows.
  const positions = await layeredLayout(graph.nodes.map((n) => ({ id: n.id, ...DEFAULT_NODE_SIZE })), graph.edges, { viewport: { width: 600, height: 416 } });
  const layout = Object.fromEntries([...positions].map(([id, xy]) => [id, { x: xy.x, y: xy.y }]));
  return (
    <main className="landing">
      <section className="landing-hero">
        <div>
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
        </div>
        <LandingDemo graph={graph} layout={layout} name={template.name} />
      </section>
      <ul className="landing-features" aria-label="What you can do">
        {FEATURES.map((f) => (
          <li key={f.title}>
            <h2>{f.title}</h2>
            <p className="muted">{f.text}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
