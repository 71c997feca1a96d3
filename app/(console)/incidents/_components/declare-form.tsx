"use client";

import { useActionState, useState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { declareIncidentAction } from "../actions";
import { useFormIdempotencyKey } from "@/app/_lib/idempotency-key";
import { localToIso, sevClass } from "./format";

type Sev = { severity: "SEV1" | "SEV2" | "SEV3"; name: string; description: string; responseExpectation: string };

export function DeclareForm({
  sevs,
  users,
  surfaces,
  currentUserId,
  canCommand,
}: {
  sevs: Sev[];
  users: { id: string; name: string; role: string }[];
  surfaces: string[];
  currentUserId: string;
  /** Whether the declarer may take command (commanders, admins); a responder names someone. */
  canCommand: boolean;
}) {
  const [state, action, pending] = useActionState(declareIncidentAction, null as ActionResult<unknown> | null);
  // One per form render: declaring again after a lost connection opens one incident, not two.
  const idempotencyKey = useFormIdempotencyKey();
  // SEV1 pulls everyone in: declaring one takes a second, deliberate press.
  const [severity, setSeverity] = useState(state && !state.ok ? state.values?.severity ?? "SEV2" : "SEV2");
  const [confirmingSev1, setConfirmingSev1] = useState(false);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  const values = failed?.values ?? {};
  const [surfaceText, setSurfaceText] = useState(values.surfaces ?? "");
  const [detected, setDetected] = useState("");
  const addSurface = (name: string) => {
    const list = surfaceText.split(",").map((s) => s.trim()).filter(Boolean);
    if (!list.includes(name)) setSurfaceText([...list, name].join(", "));
  };
  return (
    <form
      action={action}
      className="panel space-y-4"
      aria-label="Declare incident"
      onSubmit={(e) => {
        if (severity === "SEV1" && !confirmingSev1) {
          e.preventDefault();
          setConfirmingSev1(true);
        }
      }}
    >
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <Field name="title" label="Title" errors={errors.title}>
        {(p) => <input {...p} required minLength={3} maxLength={200} className="input" defaultValue={values.title} autoFocus placeholder="What is broken, for whom" />}
      </Field>
      <fieldset aria-describedby={errors.severity ? "severity-error" : undefined}>
        <legend className="label">Severity</legend>
        <div className="grid gap-2">
          {sevs.map((s) => (
            <label key={s.severity} className="flex cursor-pointer gap-3 rounded-md border border-line p-2 has-[:checked]:border-accent">
              <input
                type="radio"
                name="severity"
                value={s.severity}
                checked={severity === s.severity}
                onChange={() => {
                  setSeverity(s.severity);
                  setConfirmingSev1(false);
                }}
                className="mt-1"
              />
              <span>
                <span className={`badge ${sevClass[s.severity]}`}>{s.severity}</span> <span className="font-semibold">{s.name}</span>
                <span className="block text-sm text-muted">{s.description}</span>
                {s.responseExpectation && <span className="block text-xs text-muted">Expected response: {s.responseExpectation}</span>}
              </span>
            </label>
          ))}
        </div>
        {errors.severity && <p id="severity-error" className="field-error">{errors.severity.join(" ")}</p>}
      </fieldset>
      <Field name="surfaces" label="Affected surfaces" errors={errors.surfaces} hint="Comma separated. Suggestions come from the environments and earlier incidents.">
        {(p) => <input {...p} className="input" maxLength={2000} value={surfaceText} onChange={(e) => setSurfaceText(e.target.value)} />}
      </Field>
      {surfaces.length > 0 && (
        <div className="-mt-2 flex flex-wrap gap-1" aria-label="Surface suggestions">
          {surfaces.map((s) => (
            <button key={s} type="button" className="badge border border-line hover:border-accent" onClick={() => addSurface(s)}>+ {s}</button>
          ))}
        </div>
      )}
      <Field name="summary" label="Summary" errors={errors.summary} hint="What is known so far (markdown).">
        {(p) => <textarea {...p} rows={4} maxLength={5000} className="input" defaultValue={values.summary} />}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="detectedAtLocal" label="Detected at" errors={errors.detectedAt} hint="Your local time; leave empty for now.">
          {(p) => <input {...p} type="datetime-local" className="input" value={detected} onChange={(e) => setDetected(e.target.value)} />}
        </Field>
        <input type="hidden" name="detectedAt" value={localToIso(detected)} />
        <Field name="commanderId" label="Commander" errors={errors.commanderId}>
          {(p) => (
            <select {...p} className="input" required defaultValue={values.commanderId || (canCommand ? currentUserId : "")}>
              {!canCommand && <option value="">Choose who takes command</option>}
              {users.map((u) => <option key={u.id} value={u.id}>{u.name}{u.id === currentUserId ? " (you)" : ""} · {u.role}</option>)}
            </select>
          )}
        </Field>
      </div>
      {confirmingSev1 && (
        <div role="alert" className="rounded-md border border-sev1 p-3 text-sm">
          <p className="font-semibold text-sev1">Declare a SEV1?</p>
          <p>{sevs.find((s) => s.severity === "SEV1")?.responseExpectation || "A SEV1 pulls everyone needed in at once."} Press “Yes, declare SEV1” to go ahead, or choose another severity.</p>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={confirmingSev1 ? "btn-danger" : "btn-primary"} disabled={pending}>
          {pending ? "Declaring…" : confirmingSev1 ? "Yes, declare SEV1" : "Declare"}
        </button>
        {confirmingSev1 && <button type="button" className="btn" onClick={() => setConfirmingSev1(false)}>Not a SEV1</button>}
        <p role="status" aria-live="polite" className="text-sm text-sev1">{failed?.message ?? ""}</p>
      </div>
    </form>
  );
}
