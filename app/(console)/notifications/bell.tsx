import { SoftLink } from "@/app/_components/soft-link";
import type { Actor } from "@/lib/actor";
import { unreadCountOf } from "@/lib/notifications";

/** The bell in the sidebar header: unread notifications for this person, linked to the list. */
export async function NotificationBell({ actor }: { actor: Actor }) {
  // A bell that cannot count must not take the whole console down with it.
  const unread = await unreadCountOf(actor).catch(() => 0);
  return (
    <SoftLink href="/notifications" className="relative text-sm hover:underline" aria-label={unread ? `Notifications: ${unread} unread` : "Notifications"} data-testid="notification-bell">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" className="inline-block align-text-bottom">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {unread > 0 && <span className="ml-1 rounded-full bg-sev1 px-1.5 text-xs font-semibold text-white">{unread}</span>}
    </SoftLink>
  );
}
