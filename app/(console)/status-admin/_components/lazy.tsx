"use client";

import { lazyComponent } from "@/app/_components/lazy";

// The incident page's Public updates tab, loaded when the tab is first opened: its forms (and the
// check before publish) stay out of the incident page's first JavaScript (issue 18's 150 KB budget).
// Server-rendered all the same, so the tab reads before the code arrives.

export const UpdateForm = lazyComponent(
  () => import("./update-form").then((m) => m.UpdateForm),
  // [data-pending]: the incident page's `u` waits for the form rather than focusing something else.
  <p role="status" className="text-sm text-muted" data-pending>Loading the update form…</p>,
);
export const DraftActions = lazyComponent(() => import("./update-actions").then((m) => m.DraftActions));
export const PublishedUpdateActions = lazyComponent(() => import("./update-actions").then((m) => m.PublishedUpdateActions));
