"use client";

import { createContext, useActionState, useContext, useEffect } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/app/_lib/define-action";

type Action = (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;
type FormState = { errors: Record<string, string[]>; values: Record<string, string>; round: number };
const FormContext = createContext<FormState>({ errors: {}, values: {}, round: 0 });

/**
 * A form bound to one server action: disables its buttons while pending, announces the result,
 * and hands field errors and what was typed to the FormField elements inside it.
 */
export function ActionForm({
  action,
  label,
  submit,
  children,
  className = "space-y-3",
  danger = false,
}: {
  action: Action;
  label: string;
  submit: string;
  children?: React.ReactNode;
  className?: string;
  danger?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const failed = state && !state.ok ? state : null;
  const context: FormState = { errors: failed?.fieldErrors ?? {}, values: failed?.values ?? {}, round: state ? 1 : 0 };
  const formError = failed?.fieldErrors?._form?.join(" ");
  return (
    <form action={formAction} aria-label={label} className={className}>
      <FormContext.Provider value={context}>{children}</FormContext.Provider>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={danger ? "btn-danger" : "btn-primary"} disabled={pending}>{pending ? "Working…" : submit}</button>
        <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
          {state ? [state.message, formError].filter(Boolean).join(" ") : ""}
        </p>
      </div>
    </form>
  );
}

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
  type?: "text" | "textarea" | "select" | "checkbox" | "datetime-local" | "number" | "url" | "password";
  defaultValue?: string;
  defaultChecked?: boolean;
  required?: boolean;
  options?: { value: string; label: string }[];
  className?: string;
  /** Textareas: visible lines and monospace text (for code such as JSON). */
  rows?: number;
  monospace?: boolean;
};

/** A labelled input inside an ActionForm; its errors sit next to it, tied by aria-describedby. */
export function FormField({ name, label, hint, type = "text", defaultValue, defaultChecked, required, options = [], className, rows, monospace }: FieldProps) {
  const { errors, values, round } = useContext(FormContext);
  const id = `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}-${label.replace(/\W+/g, "-").toLowerCase()}`;
  const fieldErrors = errors[name];
  const describedBy = [fieldErrors?.length ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  const value = values[name] ?? defaultValue ?? "";
  const common = { id, name, "aria-invalid": !!fieldErrors?.length, "aria-describedby": describedBy, required };
  const k = `${round}-${value}`;
  return (
    <div className={className}>
      {type === "checkbox" ? (
        <label htmlFor={id} className="flex items-center gap-2 text-sm">
          <input key={k} {...common} type="checkbox" defaultChecked={defaultChecked} value="on" />
          {label}
        </label>
      ) : (
        <>
          <label htmlFor={id} className="label">{label}</label>
          {type === "textarea" ? (
            <textarea key={k} {...common} className={`input min-h-24${monospace ? " font-mono text-xs" : ""}`} rows={rows} spellCheck={monospace ? false : undefined} defaultValue={value} />
          ) : type === "select" ? (
            <select key={k} {...common} className="input" defaultValue={value}>
              {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          ) : (
            <input key={k} {...common} type={type} className="input" defaultValue={value} />
          )}
        </>
      )}
      {hint && <p id={`${id}-hint`} className="mt-1 text-xs text-muted">{hint}</p>}
      {fieldErrors?.length ? <p id={`${id}-error`} className="field-error">{fieldErrors.join(" ")}</p> : null}
    </div>
  );
}

/** Several checkboxes sharing one name (a list field). */
export function CheckboxList({ name, legend, options, checked = [] }: { name: string; legend: string; options: { value: string; label: string }[]; checked?: string[] }) {
  const { errors } = useContext(FormContext);
  const fieldErrors = errors[name];
  const errorId = `cl-${name}-error`;
  return (
    <fieldset aria-describedby={fieldErrors?.length ? errorId : undefined}>
      <legend className="label">{legend}</legend>
      {options.length === 0 && <p className="text-sm text-muted">Nothing to choose yet.</p>}
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} />
            {o.label}
          </label>
        ))}
      </div>
      {fieldErrors?.length ? <p id={errorId} className="field-error">{fieldErrors.join(" ")}</p> : null}
    </fieldset>
  );
}
