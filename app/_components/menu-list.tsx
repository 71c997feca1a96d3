"use client";

import { useEffect, useRef } from "react";
import type { MenuItem } from "./menu";

/** The open menu of a Menu button: the first item takes focus; a click elsewhere closes it. */
export function MenuList({ id, label, items, button, onClose }: { id: string; label: string; items: MenuItem[]; button: React.RefObject<HTMLButtonElement | null>; onClose: () => void }) {
  const list = useRef<HTMLUListElement>(null);
  const focusItem = (index: number) => {
    const entries = list.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]");
    if (!entries?.length) return;
    entries[(index + entries.length) % entries.length].focus();
  };
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });
  useEffect(() => {
    focusItem(0);
    const onDown = (e: MouseEvent) => {
      if (!list.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) closeRef.current();
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [button]);
  const close = () => {
    onClose();
    button.current?.focus();
  };
  return (
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
              onClose();
              item.onSelect();
            }}
          >
            {item.label}
          </button>
        </li>
      ))}
    </ul>
  );
}
