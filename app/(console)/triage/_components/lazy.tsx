"use client";

import { lazyComponent } from "@/app/_components/lazy";

// The triage panel's interactive parts, loaded when shown: the command tab's evidence section
// often has neither a capture form (no environment yet) nor artifacts to verify, and then ships
// none of their code (issue 18's 150 KB budget). Server-rendered all the same.

export const ActionForm = lazyComponent(() => import("../../status-admin/_components/action-form").then((m) => m.ActionForm));
export const FormField = lazyComponent(() => import("../../status-admin/_components/action-form").then((m) => m.FormField));
export const VerifyButton = lazyComponent(() => import("./verify-button").then((m) => m.VerifyButton));
