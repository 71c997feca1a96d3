"use client";

import { lazyComponent } from "@/app/_components/lazy";

// The alerts area's pieces other pages place (the incident header's chip, the triage tab's list and
// charts), loaded when first shown: they stay out of the incident page's first JavaScript (issue
// 18's 150 KB budget). Server-rendered all the same.

export const IncidentAlertsChip = lazyComponent(() => import("./incident-alerts").then((m) => m.IncidentAlertsChip));
export const IncidentAlerts = lazyComponent(() => import("./incident-alerts").then((m) => m.IncidentAlerts));
export const SignalChart = lazyComponent(() => import("./signal-chart").then((m) => m.SignalChart));
