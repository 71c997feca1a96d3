"use client";

import { usePathname } from "next/navigation";
import type { AlertGroupView } from "@/lib/alerts/queries";
import { lazyComponent } from "@/app/_components/lazy";
import { useAlertsLiveJson } from "./use-alerts-live";

type Banner = { groups: AlertGroupView[]; more: number };

// What the banner shows loads only when something is firing: most pages never need it.
const BannerGroups = lazyComponent(() => import("./alert-banner-groups").then((m) => m.BannerGroups));

const NONE: Banner = { groups: [], more: 0 };

/**
 * Firing alert groups above every console page, live. A group that led to an incident links to
 * it; the banner goes away when the alerts resolve or that incident is resolved, and it is not
 * shown on the incident's own page nor on the inbox.
 */
export function AlertBanner({ canDeclare }: { canDeclare: boolean }) {
  const pathname = usePathname();
  // Read on connect and on every change notice.
  const data = useAlertsLiveJson<Banner | null>("/api/alerts/banner", null, NONE);
  if (!data || pathname === "/alerts") return null;
  const here = /^\/incidents\/([^/]+)$/.exec(pathname)?.[1]?.toUpperCase();
  const groups = data.groups.filter((g) => !g.incident || g.incident.ref !== here);
  if (!groups.length) return null;
  return <BannerGroups groups={groups} more={data.more} canDeclare={canDeclare} />;
}
