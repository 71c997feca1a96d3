"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** Picks the environment whose addresses the page shows and whose run forms it preselects. */
export function EnvironmentPicker({ environments, current }: { environments: Array<{ name: string; production: boolean }>; current: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  if (environments.length === 0) return null;
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor="runbook-environment" className="font-medium">Environment</label>
      <select
        id="runbook-environment"
        className="input w-auto"
        value={current ?? ""}
        onChange={(e) => {
          const next = new URLSearchParams(params.toString());
          next.set("env", e.target.value);
          router.replace(`${pathname}?${next.toString()}`, { scroll: false });
        }}
      >
        {environments.map((e) => (
          <option key={e.name} value={e.name}>{e.name}{e.production ? " (production)" : ""}</option>
        ))}
      </select>
    </div>
  );
}
