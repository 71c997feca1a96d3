"use client";

import { useRouter } from "next/navigation";

/**
 * A plain link that navigates inside the app without a full page load, and fetches the target on
 * hover or focus. next/link does the same plus prefetching on sight, at ~4 KB gzipped in every
 * console page's first JavaScript (issue 18's 150 KB budget); the console's frame and the incident
 * page use this instead.
 */
export function SoftLink({ href, onClick, ...props }: React.AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const router = useRouter();
  const prefetch = () => router.prefetch(href);
  return (
    <a
      {...props}
      href={href}
      onMouseEnter={prefetch}
      onFocus={prefetch}
      onTouchStart={prefetch}
      onClick={(e) => {
        onClick?.(e);
        // Modified clicks (new tab, download), other buttons and other targets stay the browser's.
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || (props.target && props.target !== "_self")) return;
        e.preventDefault();
        router.push(href);
      }}
    />
  );
}
