import { redirect } from "next/navigation";
import { connection } from "next/server";
import { nav } from "@/app/_lib/nav";
import { can } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";
import { ConsoleFrame } from "@/app/_components/console-frame";
import { NavLinks } from "@/app/_components/nav-links";
import { ShortcutsProvider } from "@/app/_components/shortcuts";
import { signOutAction } from "./actions";
import { DeclareIncidentButton } from "./incidents/_components/declare-button";
import { AlertBanner } from "./alerts/_components/alert-banner";
import { NotificationBell } from "./notifications/bell";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const actor = await getActor();
  if (!actor) redirect("/sign-in");
  const items = nav.filter((item) => can(actor.role, item.permission)).map(({ href, label, shortcut }) => ({ href, label, shortcut }));
  const canDeclare = can(actor.role, "incidents.declare");
  return (
    <ShortcutsProvider>
      <ConsoleFrame
        declare={canDeclare ? <DeclareIncidentButton /> : null}
        bell={can(actor.role, "notifications.read") ? <NotificationBell actor={actor} /> : null}
        nav={<NavLinks items={items} />}
        account={
          <>
            <p className="truncate font-medium" title={actor.email}>{actor.name}</p>
            <p className="truncate text-muted">{actor.email} · <span data-testid="current-role">{actor.role}</span></p>
            <form action={signOutAction} className="mt-2">
              <button type="submit" className="btn">Sign out</button>
            </form>
          </>
        }
      >
        {can(actor.role, "alerts.read") && <AlertBanner canDeclare={canDeclare} />}
        {children}
      </ConsoleFrame>
    </ShortcutsProvider>
  );
}
