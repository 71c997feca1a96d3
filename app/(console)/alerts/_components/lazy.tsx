"use client";

import dynamic from "next/dynamic";

// The alerts area's pieces other pages place (the incident header's chip, the triage tab's list and
// charts), loaded after the page: they stay out of its first JavaScript (issue 18's 150 KB budget).
// Server-rendered all the same.

export const IncidentAlertsChip = dynamic(() => import("./incident-alerts").then((m) => m.IncidentAlertsChip));
export const IncidentAlerts = dynamic(() => import("./incident-alerts").then((m) => m.IncidentAlerts));
export const SignalChart = dynamic(() => import("./signal-chart").then((m) => m.SignalChart));
