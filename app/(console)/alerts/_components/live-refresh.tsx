"use client";

import { useRouter } from "next/navigation";
import { useAlertsLive } from "./use-alerts-live";

/** For server-rendered alert pages: re-render when the alerts change (coalesced by the stream; also on connect, to catch up). */
export function LiveRefresh() {
  const router = useRouter();
  useAlertsLive(() => router.refresh());
  return null;
}
