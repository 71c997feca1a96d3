import type { Permission } from "@/lib/auth/permissions";

export type NavItem = { href: string; label: string; permission: Permission; shortcut?: string };

// Each area adds its page here once the page works.
export const nav: NavItem[] = [
  { href: "/", label: "Overview", permission: "console.read" },
  { href: "/incidents", label: "Incidents", permission: "incidents.read" },
  { href: "/runbooks", label: "Runbooks", permission: "runbooks.read" },
  { href: "/status-admin", label: "Status page", permission: "status.publish" },
  { href: "/environments", label: "Environments", permission: "environments.read" },
  { href: "/alerts", label: "Alerts", permission: "alerts.read" },
  { href: "/drills", label: "Drills", permission: "drills.read" },
  { href: "/reviews", label: "Reviews", permission: "reviews.read" },
  { href: "/reliability", label: "Reliability", permission: "reviews.read" },
  { href: "/admin/users", label: "Users", permission: "users.manage" },
  { href: "/admin/audit", label: "Audit log", permission: "audit.read" },
];
