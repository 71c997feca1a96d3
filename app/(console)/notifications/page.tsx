import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { listNotifications } from "@/lib/notifications";
import { MarkReadForm } from "./mark-read";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const ctx = await pageContext("notifications.read", "/notifications");
  if (!ctx) return <Forbidden what="notifications" />;
  const rows = await listNotifications(ctx);
  const unread = rows.filter((r) => !r.read);
  return (
    <div className="max-w-4xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold">Notifications</h1>
        {unread.length > 0 && <MarkReadForm all label={`Mark all ${unread.length} read`} />}
      </div>
      <p className="text-muted">What the console had to tell you while you were not looking: scheduled drills of the runbooks you own (or, for owners without an account, of every runbook, if you sign drills off).</p>
      {rows.length === 0 ? (
        <p className="panel text-muted">Nothing yet.</p>
      ) : (
        <ul className="space-y-2" aria-label="Notifications">
          {rows.map((n) => (
            <li key={n.id} className={`panel space-y-1 ${n.read ? "opacity-75" : "border-l-4 border-l-accent"}`} aria-label={n.title}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="font-semibold">{n.link ? <Link className="text-accent hover:underline" href={n.link}>{n.title}</Link> : n.title}</h2>
                <span className="text-xs text-muted">{n.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC{n.read ? "" : " · unread"}</span>
              </div>
              {n.body && <p className="text-sm">{n.body}</p>}
              {n.addressedTo && <p className="text-xs text-muted">For the owner: {n.addressedTo}</p>}
              {!n.read && <MarkReadForm ids={[n.id]} label="Mark read" />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
