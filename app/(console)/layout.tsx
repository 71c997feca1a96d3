import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { nav } from "@/app/_lib/nav";
import { can } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";
import { NavLinks } from "@/app/_components/nav-links";
import { signOutAction } from "./actions";
import { Providers } from "@/app/_components/providers";
import { DeclareIncidentButton } from "./incidents/_components/declare-button";
import { AlertBanner } from "./alerts/_components/alert-banner";
import { NotificationBell } from "./notifications/bell";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const actor = await getActor();
  if (!actor) redirect("/sign-in");
  const items = nav.filter((item) => can(actor.role, item.permission)).map(({ href, label, shortcut }) => ({ href, label, shortcut }));
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">Skip to content</a>
      <aside className="border-b border-line bg-panel md:w-56 md:shrink-0 md:border-r md:border-b-0">
        <div className="flex items-center justify-between px-4 py-3">
          <Link href="/" className="text-lg font-bold tracking-tight">Sitrep</Link>
          {can(actor.role, "notifications.read") && <NotificationBell actor={actor} />}
        </div>
        {can(actor.role, "incidents.declare") && <div className="px-4 pb-3"><DeclareIncidentButton /></div>}
        <NavLinks items={items} />
        <div className="mt-auto border-t border-line px-4 py-3 text-sm">
          <p className="truncate font-medium" title={actor.email}>{actor.name}</p>
          <p className="text-muted">{actor.email} · <span data-testid="current-role">{actor.role}</span></p>
          <form action={signOutAction} className="mt-2">
            <button type="submit" className="btn">Sign out</button>
          </form>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8"><Providers>{can(actor.role, "alerts.read") && <AlertBanner canDeclare={can(actor.role, "incidents.declare")} />}{children}</Providers></main>
    </div>
  );
}
