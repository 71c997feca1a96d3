"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * The phone's Menu button: shows and hides the navigation (`controls`, marked data-open), and
 * closes it again on every navigation and on Escape. The frame around it is server-rendered.
 */
export function ConsoleMenuButton({ controls }: { controls: string }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }
  useEffect(() => {
    document.getElementById(controls)?.toggleAttribute("data-open", open);
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, controls]);
  return (
    <button type="button" className="btn md:hidden" aria-expanded={open} aria-controls={controls} onClick={() => setOpen((o) => !o)}>
      {open ? "Close menu" : "Menu"}
    </button>
  );
}
