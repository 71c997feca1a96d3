"use client";

import { useEffect, useState } from "react";
import { durationWords } from "@/lib/alerts/format";

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/**
 * A time in the viewer's own zone, with UTC on hover. The server renders UTC (it cannot know the
 * zone); the browser swaps in local time after hydration.
 */
export function LocalTime({ iso, withDate = false }: { iso: string | null; withDate?: boolean }) {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => {
    if (!iso) return;
    const d = new Date(iso);
    const sameDay = d.toDateString() === new Date().toDateString();
    setLocal(d.toLocaleString(undefined, withDate || !sameDay ? { dateStyle: "medium", timeStyle: "medium" } : { timeStyle: "medium" }));
  }, [iso, withDate]);
  if (!iso) return <span>—</span>;
  const u = utc(new Date(iso).toISOString());
  return (
    <time dateTime={iso} title={u} className="underline decoration-dotted underline-offset-2">
      {local ?? u}
    </time>
  );
}

/** "for 12 min", kept current while the page is open. */
export function Since({ iso, prefix = "" }: { iso: string; prefix?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  if (now === null) return null;
  return <span>{prefix}{durationWords(now - new Date(iso).getTime())}</span>;
}
