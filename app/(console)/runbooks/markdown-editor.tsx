"use client";

import { useState } from "react";
import { MarkdownView } from "./markdown-view";

/** A markdown textarea with a Write / Preview switch; the textarea stays in the form when previewing. */
export function MarkdownEditor({ name, defaultValue, errors }: { name: string; defaultValue: string; errors?: string[] }) {
  const [text, setText] = useState(defaultValue);
  const [preview, setPreview] = useState(false);
  const id = `field-${name}`;
  return (
    <div>
      <div className="mb-1 flex items-center justify-between gap-2">
        <label htmlFor={id} className="label mb-0">Markdown</label>
        <div className="flex gap-1" role="group" aria-label="Editor view">
          <button type="button" className="btn" aria-pressed={!preview} onClick={() => setPreview(false)}>Write</button>
          <button type="button" className="btn" aria-pressed={preview} onClick={() => setPreview(true)}>Preview</button>
        </div>
      </div>
      <textarea
        id={id}
        name={name}
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={30}
        spellCheck={false}
        className={`input font-mono text-xs ${preview ? "hidden" : ""}`}
        aria-invalid={!!errors?.length}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
      />
      {preview && (
        <section aria-label="Preview" className="panel max-h-[70vh] overflow-y-auto">
          <MarkdownView markdown={text} />
        </section>
      )}
      {errors?.length ? <p id={`${id}-error`} className="field-error">{errors.join(" ")}</p> : null}
    </div>
  );
}
