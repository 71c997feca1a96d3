"use client";

import { useId, useRef, useState } from "react";
import { lazyComponent } from "./lazy";

export type MenuItem = { label: string; onSelect: () => void; danger?: boolean };

// The open menu's code loads when first needed: pointing at or focusing a menu button starts it.
const MenuList = lazyComponent(() => import("./menu-list").then((m) => m.MenuList));

/**
 * A small actions menu (WAI-ARIA menu button): opens on click, Enter, Space or ArrowDown; arrow
 * keys move, Escape or a click elsewhere closes and gives focus back to the button.
 */
export function Menu({ label, items, buttonText = "⋯" }: { label: string; items: MenuItem[]; buttonText?: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  if (items.length === 0) return null;
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
        onMouseEnter={MenuList.preload}
        onFocus={MenuList.preload}
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
      {open && <MenuList id={id} label={label} items={items} button={button} onClose={() => setOpen(false)} />}
    </div>
  );
}
