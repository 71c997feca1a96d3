"use client";

import { usePathname } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import type { AlertGroupView } from "@/lib/alerts/queries";
import { lazyComponent } from "@/app/_components/lazy";
import { useAlertsLive } from "./use-alerts-live";

type Banner = { groups: AlertGroupView[]; more: number };

// What the banner shows loads only when something is firing: most pages never need it.
const BannerGroups = lazyComponent(() => import("./alert-banner-groups").then((m) => m.BannerGroups));

async function fetchBanner(): Promise<Banner> {
  const response = await fetch("/api/alerts/banner", { cache: "no-store" });
  if (!response.ok) return { groups: [], more: 0 };
  return response.json();
}

/**
 * Firing alert groups above every console page, live. A group that led to an incident links to
 * it; the banner goes away when the alerts resolve or that incident is resolved, and it is not
 * shown on the incident's own page nor on the inbox.
 */
export function AlertBanner({ canDeclare }: { canDeclare: boolean }) {
  const pathname = usePathname();
  const { data } = useQuery({ queryKey: ["alerts-banner"], queryFn: fetchBanner, staleTime: 0 });
  useAlertsLive([["alerts-banner"]]);
  if (!data || pathname === "/alerts") return null;
  const here = /^\/incidents\/([^/]+)$/.exec(pathname)?.[1]?.toUpperCase();
  const groups = data.groups.filter((g) => !g.incident || g.incident.ref !== here);
  if (!groups.length) return null;
  return <BannerGroups groups={groups} more={data.more} canDeclare={canDeclare} />;
}
