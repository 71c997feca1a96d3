"use client";

import { useEffect, useRef } from "react";
import type { Shortcut } from "./shortcuts";

/** The list of keyboard shortcuts, as a modal dialog open from its first render until closed. */
export function ShortcutsHelp({ shortcuts, onClose }: { shortcuts: Shortcut[]; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="shortcuts-title" className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-line bg-panel p-5 text-fg backdrop:bg-black/50">
      <h2 id="shortcuts-title" className="text-lg font-semibold">Keyboard shortcuts</h2>
      <p className="mt-1 text-sm text-muted">They work anywhere on the page except while you type in a field.</p>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {[...shortcuts, { key: "?", description: "Show this list", run: () => {} }].map((s) => (
          <div key={s.key} className="contents">
            <dt><kbd className="rounded border border-line px-1.5 font-mono">{s.key}</kbd></dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog" className="mt-4 text-right">
        <button type="submit" className="btn" autoFocus>Close</button>
      </form>
    </dialog>
  );
}
