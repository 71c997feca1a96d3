"use client";

import { createContext, useContext, useEffect, useRef, useState } from "react";

// One keyboard listener for the console. Pages register single-key shortcuts with useShortcut;
// "?" lists what the current page offers. Keys never fire while someone types in a field.

type Shortcut = { key: string; description: string; run: () => void };
type Registry = { add: (s: Shortcut) => () => void; showHelp: () => void };

const ShortcutsContext = createContext<Registry | null>(null);

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

export function ShortcutsProvider({ children }: { children: React.ReactNode }) {
  const entries = useRef<Shortcut[]>([]);
  const dialog = useRef<HTMLDialogElement>(null);
  const [shown, setShown] = useState<Shortcut[]>([]);
  const [registry] = useState<Registry>(() => ({
    add: (s) => {
      entries.current = [...entries.current, s];
      return () => {
        entries.current = entries.current.filter((e) => e !== s);
      };
    },
    showHelp: () => {
      setShown(uniqueByKey([...entries.current].reverse()).reverse());
      dialog.current?.showModal();
    },
  }));
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTyping(event.target)) return;
      if (dialog.current?.open) return;
      if (event.key === "?") {
        event.preventDefault();
        registry.showHelp();
        return;
      }
      // The most recently registered wins: a page's "s" over a layout's.
      const match = [...entries.current].reverse().find((e) => e.key === event.key);
      if (!match) return;
      event.preventDefault();
      match.run();
    };
    window.addEventListener("keydown", onKey);
    // Says the keys work now (before hydration they do nothing): tests wait for it.
    document.documentElement.dataset.shortcuts = "ready";
    return () => {
      window.removeEventListener("keydown", onKey);
      delete document.documentElement.dataset.shortcuts;
    };
  }, [registry]);
  return (
    <ShortcutsContext.Provider value={registry}>
      {children}
      <dialog ref={dialog} aria-labelledby="shortcuts-title" className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-line bg-panel p-5 text-fg backdrop:bg-black/50">
        <h2 id="shortcuts-title" className="text-lg font-semibold">Keyboard shortcuts</h2>
        <p className="mt-1 text-sm text-muted">They work anywhere on the page except while you type in a field.</p>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {[...shown, { key: "?", description: "Show this list", run: () => {} }].map((s) => (
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
    </ShortcutsContext.Provider>
  );
}

function uniqueByKey(list: Shortcut[]): Shortcut[] {
  const seen = new Set<string>();
  return list.filter((s) => (seen.has(s.key) ? false : (seen.add(s.key), true)));
}

/** Registers a single-key shortcut while the calling component is mounted. */
export function useShortcut(key: string, description: string, run: () => void) {
  const registry = useContext(ShortcutsContext);
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => registry?.add({ key, description, run: () => latest.current() }), [registry, key, description]);
}

/** Opens the list of keyboard shortcuts (what "?" does), e.g. from a visible button. */
export function useShortcutHelp(): () => void {
  const registry = useContext(ShortcutsContext);
  return () => registry?.showHelp();
}
