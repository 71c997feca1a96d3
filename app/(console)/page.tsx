import Link from "next/link";
import { nav } from "@/app/_lib/nav";
import { can } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";

export default async function OverviewPage() {
  const actor = (await getActor())!;
  const links = nav.filter((item) => item.href !== "/" && can(actor.role, item.permission));
  return (
    <div className="max-w-3xl">
      <h1 className="text-2xl font-bold">Overview</h1>
      <p className="mt-1 text-muted">Signed in as {actor.name} ({actor.role}).</p>
      <ul className="mt-6 grid gap-3 sm:grid-cols-2">
        {links.map((item) => (
          <li key={item.href}>
            <Link href={item.href} className="panel block hover:border-accent">
              <span className="font-semibold">{item.label}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
