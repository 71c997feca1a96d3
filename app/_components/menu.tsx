"use client";

import { useEffect, useId, useRef, useState } from "react";

export type MenuItem = { label: string; onSelect: () => void; danger?: boolean };

/**
 * A small actions menu (WAI-ARIA menu button): opens on click, Enter, Space or ArrowDown; arrow
 * keys move, Escape or a click elsewhere closes and gives focus back to the button.
 */
export function Menu({ label, items, buttonText = "⋯" }: { label: string; items: MenuItem[]; buttonText?: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const focusItem = (index: number) => {
    const entries = list.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]");
    if (!entries?.length) return;
    entries[(index + entries.length) % entries.length].focus();
  };
  useEffect(() => {
    if (!open) return;
    focusItem(0);
    const onDown = (e: MouseEvent) => {
      if (!list.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);
  if (items.length === 0) return null;
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div className="relative inline-block">
      <button
        ref={button}
        type="button"
        className="rounded px-2 py-0.5 text-sm text-muted hover:bg-bg hover:text-fg"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {buttonText}
      </button>
      {open && (
        <ul
          ref={list}
          id={id}
          role="menu"
          aria-label={label}
          className="absolute right-0 z-20 mt-1 min-w-48 rounded-md border border-line bg-panel py-1 shadow-lg"
          onKeyDown={(e) => {
            const entries = [...(list.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]") ?? [])];
            const at = entries.indexOf(document.activeElement as HTMLButtonElement);
            if (e.key === "ArrowDown") focusItem(at + 1);
            else if (e.key === "ArrowUp") focusItem(at - 1);
            else if (e.key === "Home") focusItem(0);
            else if (e.key === "End") focusItem(entries.length - 1);
            else if (e.key === "Escape" || e.key === "Tab") close();
            else return;
            e.preventDefault();
          }}
        >
          {items.map((item) => (
            <li key={item.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={`block w-full px-3 py-1.5 text-left text-sm hover:bg-bg focus:bg-bg ${item.danger ? "text-sev1" : ""}`}
                onClick={() => {
                  setOpen(false);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
