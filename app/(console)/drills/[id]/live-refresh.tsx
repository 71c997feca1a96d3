"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the report from the server every interval while the drill can still change. */
export function LiveRefresh({ active, intervalMs = 1500 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return active ? <p role="status" aria-live="polite" className="text-sm text-muted">Live: this page follows the drill as it runs.</p> : null;
}
