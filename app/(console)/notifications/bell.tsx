import Link from "next/link";
import type { Actor } from "@/lib/actor";
import { unreadCountOf } from "@/lib/notifications";

/** The bell in the sidebar header: unread notifications for this person, linked to the list. */
export async function NotificationBell({ actor }: { actor: Actor }) {
  // A bell that cannot count must not take the whole console down with it.
  const unread = await unreadCountOf(actor).catch(() => 0);
  return (
    <Link href="/notifications" className="relative text-sm hover:underline" aria-label={unread ? `Notifications: ${unread} unread` : "Notifications"} data-testid="notification-bell">
      <span aria-hidden="true">🔔</span>
      {unread > 0 && <span className="ml-1 rounded-full bg-sev1 px-1.5 text-xs font-semibold text-white">{unread}</span>}
    </Link>
  );
}
