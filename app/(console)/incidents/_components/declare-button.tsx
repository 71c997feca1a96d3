"use client";

import { SoftLink } from "@/app/_components/soft-link";
import { useRouter } from "next/navigation";
import { useShortcut } from "@/app/_components/shortcuts";

/** "Declare incident" everywhere in the console, also on the `d` key when not typing. */
export function DeclareIncidentButton() {
  const router = useRouter();
  useShortcut("d", "Declare an incident", () => router.push("/incidents/new"));
  return (
    <SoftLink href="/incidents/new" className="btn-danger w-full justify-center" aria-keyshortcuts="d" title="Declare incident (shortcut: d)">
      Declare incident <kbd aria-hidden className="ml-1 rounded border border-line px-1 font-mono text-xs">d</kbd>
    </SoftLink>
  );
}
