"use client";

import { useEffect, useState } from "react";

/** The same instant in the viewer's own zone; rendered after hydration (the server does not know it). */
export function LocalTime({ iso }: { iso: string }) {
  const [text, setText] = useState("");
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const local = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" }).format(new Date(iso));
    setText(`${local} (${zone})`);
  }, [iso]);
  return <span className="text-xs text-muted" data-testid="local-time">{text}</span>;
}
