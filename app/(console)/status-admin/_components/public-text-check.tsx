"use client";

import { FINDING_LABELS, highlightPieces, type Finding } from "@/lib/status/public-text";

/**
 * The check before publish, shown beside the form: each flagged piece highlighted in the text and
 * listed with why, and the explicit "publish anyway" the server asks for. The server runs the same
 * check; `serverError` is its refusal when the author did not confirm.
 */
export function PublicTextCheck({
  id,
  texts,
  serverError,
  confirmed,
  onConfirm,
}: {
  id: string;
  texts: { label: string; text: string; findings: Finding[] }[];
  serverError?: string[];
  confirmed: boolean;
  onConfirm: (v: boolean) => void;
}) {
  const flagged = texts.filter((t) => t.findings.length);
  const count = flagged.reduce((n, t) => n + t.findings.length, 0);
  if (!count && !serverError?.length) return null;
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-2 rounded border border-sev2 p-3" data-testid="public-text-check">
      <h3 id={`${id}-heading`} className="text-sm font-semibold">
        Check before publish: {count ? `${count} thing${count === 1 ? "" : "s"} everyone would read` : "the server flagged this text"}
      </h3>
      {flagged.map((t) => (
        <div key={t.label}>
          <p className="text-xs text-muted">{t.label}</p>
          <p className="whitespace-pre-wrap break-words text-sm" data-testid="flagged-text">
            {highlightPieces(t.text, t.findings).map((piece, i) =>
              piece.finding ? (
                <mark key={i} className="rounded bg-sev2/25 px-0.5 text-fg" title={`${FINDING_LABELS[piece.finding.kind]}: ${piece.finding.why}`} data-kind={piece.finding.kind}>
                  {piece.text}
                </mark>
              ) : (
                <span key={i}>{piece.text}</span>
              ),
            )}
          </p>
          <ul className="mt-1 list-disc pl-5 text-xs" aria-label={`Flagged in ${t.label.toLowerCase()}`}>
            {t.findings.map((f, i) => (
              <li key={i}>
                <strong>{FINDING_LABELS[f.kind]}</strong>: “{f.match}” ({f.why})
              </li>
            ))}
          </ul>
        </div>
      ))}
      {serverError?.length ? <p id={`${id}-error`} className="field-error">{serverError.join(" ")}</p> : null}
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="confirmSensitive" value="true" checked={confirmed} onChange={(e) => onConfirm(e.target.checked)} aria-describedby={serverError?.length ? `${id}-error` : undefined} />
        <span>I checked the flagged text: publish it as it is.</span>
      </label>
    </section>
  );
}
