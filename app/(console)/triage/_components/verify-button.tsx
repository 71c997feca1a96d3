"use client";

import { useState, useTransition } from "react";
import { verifyEvidenceAction } from "../actions";

/** Recomputes every artifact's SHA-256 on the server and says which ones changed. */
export function VerifyButton({ incidentId }: { incidentId: string }) {
  const [message, setMessage] = useState("");
  const [bad, setBad] = useState(false);
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className="btn"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await verifyEvidenceAction({ incidentId });
            if (!r.ok) {
              setBad(true);
              setMessage(r.message);
              return;
            }
            setBad(!r.data.ok);
            setMessage(
              r.data.ok
                ? `All ${r.data.checked} artifacts match their SHA-256.`
                : `Changed: ${r.data.problems.map((p) => `${p.kind} (${p.artifactId.slice(0, 8)}: expected ${p.expected.slice(0, 12)}…, now ${p.actual.slice(0, 12)}…)`).join("; ")}`,
            );
          })
        }
      >
        {pending ? "Verifying…" : "Verify evidence"}
      </button>
      <p role="status" aria-live="polite" className={`text-sm ${bad ? "text-sev1" : "text-ok"}`} data-testid="verify-result">{message}</p>
    </div>
  );
}
