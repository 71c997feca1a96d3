// The command view's tabs, shared by the page (which reads ?view=) and the client view.
export const VIEWS = ["command", "public-updates", "triage", "details"] as const;
export type View = (typeof VIEWS)[number];
