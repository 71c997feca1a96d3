"use client";

import { useActionState } from "react";
import { archiveRunbookAction, restoreRunbookAction } from "../actions";

/** Archive (with a reason) or restore; both audited on the server. */
export function ArchiveForm({ slug, version, archived }: { slug: string; version: number; archived: boolean }) {
  const [state, action, pending] = useActionState(archived ? restoreRunbookAction : archiveRunbookAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" aria-label={archived ? "Restore runbook" : "Archive runbook"}>
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="version" value={version} />
      {!archived && (
        <>
          <label htmlFor="archive-reason" className="sr-only">Reason for archiving</label>
          <input id="archive-reason" name="reason" className="input w-56" placeholder="Reason (optional)" maxLength={500} />
        </>
      )}
      <button type="submit" className="btn" disabled={pending}>{pending ? "Saving…" : archived ? "Restore" : "Archive"}</button>
      {state && !state.ok && <p role="alert" className="field-error">{state.message}</p>}
    </form>
  );
}
