import { describe, expect, it } from 'vitest';
import { layeredLayout, type LayoutBox, type LayoutLink } from './auto-layout';

const box = (id: string, width = 150, height = 60): LayoutBox => ({ id, width, height });
const chain = (count: number): { nodes: LayoutBox[]; links: LayoutLink[] } => {
  const nodes = Array.from({ length: count }, (_, i) => box(`n${i}`));
  return { nodes, links: nodes.slice(1).map((n, i) => ({ source: `n${i}`, target: n.id })) };
};

function overlaps(a: LayoutBox & { x: number; y: number }, b: LayoutBox & { x: number; y: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function placed(nodes: readonly LayoutBox[], positions: Map<string, { x: number; y: number }>) {
  return nodes.map((n) => ({ ...n, ...positions.get(n.id)! }));
}

describe('layeredLayout', () => {
  it('places every node, left to right along the data flow, without overlaps', async () => {
    // Input -> Dense -> ReLU -> Dense -> Loss, with Labels feeding the loss too.
    const nodes = ['input', 'dense1', 'relu', 'dense2', 'labels', 'loss'].map((id) => box(id, id === 'loss' ? 180 : 150, 80));
    const links = [
      { source: 'input', target: 'dense1' },
      { source: 'dense1', target: 'relu' },
      { source: 'relu', target: 'dense2' },
      { source: 'dense2', target: 'loss' },
      { source: 'labels', target: 'loss' },
    ];
    const positions = await layeredLayout(nodes, links, { viewport: { width: 1200, height: 600 } });
    expect([...positions.keys()].sort()).toEqual(nodes.map((n) => n.id).sort());
    for (const l of links) expect(positions.get(l.target)!.x).toBeGreaterThan(positions.get(l.source)!.x + 150);
    const all = placed(nodes, positions);
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlaps(all[i]!, all[j]!), `${all[i]!.id} / ${all[j]!.id}`).toBe(false);
  });

  it('wraps a long chain into rows that suit the canvas instead of one long line', async () => {
    const { nodes, links } = chain(24);
    const positions = await layeredLayout(nodes, links, { viewport: { width: 1600, height: 900 } });
    const all = placed(nodes, positions);
    const width = Math.max(...all.map((n) => n.x + n.width)) - Math.min(...all.map((n) => n.x));
    const height = Math.max(...all.map((n) => n.y + n.height)) - Math.min(...all.map((n) => n.y));
    const rows = new Set(all.map((n) => n.y)).size;
    expect(rows).toBeGreaterThan(1);
    // A single row would be ~24 * 220 px wide and 60 high; wrapped it is within a few times the target ratio.
    expect(width / height).toBeLessThan(6);
    // Fitted into that canvas, the layers are still readable.
    expect(Math.min(1600 / width, 900 / height)).toBeGreaterThan(0.4);
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlaps(all[i]!, all[j]!)).toBe(false);
    // Within a row the chain still reads left to right; each wrap moves down.
    for (const l of links) {
      const s = positions.get(l.source)!;
      const t = positions.get(l.target)!;
      expect(t.y > s.y || (t.y === s.y && t.x > s.x), `${l.source} -> ${l.target}`).toBe(true);
    }
  });

  it('keeps a short chain on one row when the canvas is wide', async () => {
    const { nodes, links } = chain(4);
    const positions = await layeredLayout(nodes, links, { viewport: { width: 1200, height: 600 } });
    expect(new Set([...positions.values()].map((p) => p.y)).size).toBe(1);
  });

  it('tolerates cycles, self loops, dangling edges and an empty graph', async () => {
    expect((await layeredLayout([], [])).size).toBe(0);
    const nodes = [box('a'), box('b'), box('c')];
    const positions = await layeredLayout(nodes, [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'a' },
      { source: 'c', target: 'c' },
      { source: 'c', target: 'gone' },
    ]);
    expect(positions.size).toBe(3);
    const all = placed(nodes, positions);
    expect(overlaps(all[0]!, all[1]!) || overlaps(all[0]!, all[2]!) || overlaps(all[1]!, all[2]!)).toBe(false);
  });
});
