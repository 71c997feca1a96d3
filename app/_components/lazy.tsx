"use client";

import { Suspense, lazy, type ComponentType } from "react";

/**
 * A client component whose code loads the first time it is rendered (React.lazy, so no next/dynamic
 * runtime in the page's first JavaScript). Rendered on the server as usual; `preload()` starts the
 * download early, e.g. on hover or focus of what will show it, so it opens on the first click or key.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, fallback: React.ReactNode = null) {
  let loading: Promise<{ default: ComponentType<P> }> | null = null;
  const preload = () => (loading ??= load().then((component) => ({ default: component })));
  const Loaded = lazy(preload);
  function Lazy(props: P) {
    return (
      <Suspense fallback={fallback}>
        <Loaded {...props} />
      </Suspense>
    );
  }
  Lazy.preload = () => void preload();
  return Lazy;
}
