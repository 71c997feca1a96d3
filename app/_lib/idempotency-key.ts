"use client";

import { useEffect, useRef, useState } from "react";

/** 32 random hex characters; getRandomValues works on plain-http origins too (randomUUID does not). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * One key per filled-in form: sent with every try of the same submission, so a retry after an
 * unknown outcome (connection lost) returns the first result instead of writing twice; replaced
 * once a submission succeeded. Made after hydration, so server and browser render alike.
 */
export function useIdempotencyKey() {
  const key = useRef<string | null>(null);
  return {
    current: () => (key.current ??= newIdempotencyKey()),
    rotate: () => void (key.current = null),
  };
}

/** The same for a form posted natively (useActionState): a hidden field's value, set after hydration. */
export function useFormIdempotencyKey(): string {
  const [key, setKey] = useState("");
  useEffect(() => setKey(newIdempotencyKey()), []);
  return key;
}
