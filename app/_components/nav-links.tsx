"use client";

import { SoftLink } from "@/app/_components/soft-link";
import { usePathname } from "next/navigation";

export function NavLinks({ items }: { items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="px-2 pb-3">
      <ul className="grid grid-cols-2 gap-1 sm:grid-cols-3 md:flex md:flex-col">
        {items.map((item) => {
          const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <SoftLink
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-3 py-2 text-sm md:py-1.5 ${active ? "bg-bg font-semibold text-accent" : "hover:bg-bg"}`}
              >
                {item.label}
              </SoftLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
