"use client";

import { createContext, useContext, useEffect, useRef, useState } from "react";
import { lazyComponent } from "./lazy";

// One keyboard listener for the console. Pages register single-key shortcuts with useShortcut;
// "?" lists what the current page offers. Keys never fire while someone types in a field.

export type Shortcut = { key: string; description: string; run: () => void };

// The list "?" opens: its code loads on the first "?" (or on hover of a Keys button), not with the page.
const ShortcutsHelp = lazyComponent(() => import("./shortcuts-help").then((m) => m.ShortcutsHelp));
type Registry = { add: (s: Shortcut) => () => void; showHelp: () => void; preloadHelp: () => void };

const ShortcutsContext = createContext<Registry | null>(null);

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

export function ShortcutsProvider({ children }: { children: React.ReactNode }) {
  const entries = useRef<Shortcut[]>([]);
  // The list on screen, null while closed; the ref lets the key listener see it at once.
  const [shown, setShown] = useState<Shortcut[] | null>(null);
  const open = useRef(false);
  const [registry] = useState<Registry>(() => ({
    add: (s) => {
      entries.current = [...entries.current, s];
      return () => {
        entries.current = entries.current.filter((e) => e !== s);
      };
    },
    showHelp: () => {
      open.current = true;
      setShown(uniqueByKey([...entries.current].reverse()).reverse());
    },
    preloadHelp: ShortcutsHelp.preload,
  }));
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTyping(event.target)) return;
      if (open.current) return;
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
      {shown && (
        <ShortcutsHelp
          shortcuts={shown}
          onClose={() => {
            open.current = false;
            setShown(null);
          }}
        />
      )}
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

/** Opens the list of keyboard shortcuts (what "?" does), e.g. from a visible button; `preload` on its hover. */
export function useShortcutHelp(): { show: () => void; preload: () => void } {
  const registry = useContext(ShortcutsContext);
  return { show: () => registry?.showHelp(), preload: () => registry?.preloadHelp() };
}
