'use client';

import { useId, type Ref } from 'react';
import { SHORTCUTS, modifierName } from './shortcuts';

/**
 * The keyboard shortcuts, in a native modal <dialog>: it traps focus, closes on Esc and returns
 * focus to whatever opened it, all without extra code. Opened with ref.current.showModal().
 */
export function ShortcutsDialog({ ref }: { ref: Ref<HTMLDialogElement> }) {
  const titleId = useId();
  const mod = modifierName();
  return (
    <dialog ref={ref} className="shortcuts-dialog" aria-labelledby={titleId}>
      <div className="panel-title">
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <form method="dialog">
          <button type="submit" className="button secondary" autoFocus>
            Close
          </button>
        </form>
      </div>
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                {s.keys.map((combo, i) => (
                  <span key={combo.join('+')}>
                    {i > 0 ? ' or ' : null}
                    {combo.map((k, j) => (
                      <span key={k}>
                        {j > 0 ? '+' : null}
                        <kbd>{k === 'Ctrl' ? mod : k}</kbd>
                      </span>
                    ))}
                  </span>
                ))}
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </dialog>
  );
}
