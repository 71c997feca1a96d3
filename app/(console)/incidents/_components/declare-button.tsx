"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** "Declare incident" everywhere in the console, also on the `d` key when not typing. */
export function DeclareIncidentButton() {
  const router = useRouter();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "d" || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      event.preventDefault();
      router.push("/incidents/new");
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router]);
  return (
    <Link href="/incidents/new" className="btn-danger w-full justify-center" aria-keyshortcuts="d" title="Declare incident (shortcut: d)">
      Declare incident <kbd aria-hidden className="ml-1 rounded border border-line px-1 font-mono text-xs">d</kbd>
    </Link>
  );
}
