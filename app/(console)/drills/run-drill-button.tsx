import Link from "next/link";

/** The runbook page's way into a drill (shown to roles that may run drills). */
export function RunDrillButton({ slug, stale }: { slug: string; stale?: boolean }) {
  return (
    <Link href={`/drills/new?runbook=${encodeURIComponent(slug)}`} className={stale ? "btn-primary" : "btn"}>
      {stale ? "Run drill (stale)" : "Run drill"}
    </Link>
  );
}
