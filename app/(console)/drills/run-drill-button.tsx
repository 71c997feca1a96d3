import Link from "next/link";

/** The runbook page's way into a drill (shown to roles that may run drills); says why a runbook is stale. */
export function RunDrillButton({ slug, stale, reason }: { slug: string; stale?: boolean; reason?: string | null }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Link href={`/drills/new?runbook=${encodeURIComponent(slug)}`} className={stale ? "btn-primary" : "btn"} aria-describedby={stale && reason ? `stale-why-${slug}` : undefined}>
        {stale ? "Run drill (stale)" : "Run drill"}
      </Link>
      {stale && reason && <span id={`stale-why-${slug}`} className="text-xs text-muted">Stale: {reason}</span>}
    </span>
  );
}
