"use client";

import { useRef } from "react";

export type TabSpec = { id: string; label: string; badge?: React.ReactNode; panel: React.ReactNode };

/**
 * WAI-ARIA tabs: every panel is rendered (server work done once, switching is instant) and the
 * inactive ones are hidden (a caller may leave a panel empty until first opened; `onIntent` says
 * when a tab is hovered or focused, to start loading it). Arrow keys, Home and End move between
 * tabs. The caller owns which tab is selected, so keyboard shortcuts and links can switch too.
 */
export function Tabs({ label, tabs, selected, onSelect, onIntent, idPrefix }: { label: string; tabs: TabSpec[]; selected: string; onSelect: (id: string) => void; onIntent?: (id: string) => void; idPrefix: string }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const move = (from: number, by: number | "first" | "last") => {
    const index = by === "first" ? 0 : by === "last" ? tabs.length - 1 : (from + by + tabs.length) % tabs.length;
    onSelect(tabs[index].id);
    refs.current[tabs[index].id]?.focus();
  };
  return (
    <div>
      <div role="tablist" aria-label={label} className="-mx-1 flex gap-1 overflow-x-auto border-b border-line px-1">
        {tabs.map((tab, i) => {
          const active = tab.id === selected;
          return (
            <button
              key={tab.id}
              ref={(el) => {
                refs.current[tab.id] = el;
              }}
              type="button"
              role="tab"
              id={`${idPrefix}-tab-${tab.id}`}
              aria-selected={active}
              aria-controls={`${idPrefix}-panel-${tab.id}`}
              tabIndex={active ? 0 : -1}
              onClick={() => onSelect(tab.id)}
              // Hover or focus: a tab whose code loads on demand starts loading it.
              onMouseEnter={() => onIntent?.(tab.id)}
              onFocus={() => onIntent?.(tab.id)}
              onKeyDown={(e) => {
                const by = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : e.key === "Home" ? "first" : e.key === "End" ? "last" : null;
                if (by === null) return;
                e.preventDefault();
                move(i, by);
              }}
              className={`-mb-px shrink-0 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-accent text-accent" : "border-transparent text-muted hover:text-fg"}`}
            >
              {tab.label}
              {tab.badge}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${idPrefix}-panel-${tab.id}`}
          aria-labelledby={`${idPrefix}-tab-${tab.id}`}
          hidden={tab.id !== selected}
          className="pt-4"
        >
          {tab.panel}
        </div>
      ))}
    </div>
  );
}
