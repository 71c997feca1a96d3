"use client";

import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useAlertsLive } from "./use-alerts-live";

/** For server-rendered alert pages: re-render when the alerts change (coalesced by the stream). */
export function LiveRefresh() {
  const router = useRouter();
  useAlertsLive([["alerts-refresh"]]);
  const { dataUpdatedAt } = useQuery({ queryKey: ["alerts-refresh"], queryFn: async () => Date.now(), staleTime: Infinity });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    router.refresh();
  }, [dataUpdatedAt, router]);
  return null;
}
