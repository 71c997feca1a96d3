"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";

const newClient = () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: true, retry: 1 } } });
let browserClient: QueryClient | undefined;

/**
 * Client-side data cache for the pages that keep lists in it (the alerts pages, the incident list,
 * the health board); placed by those pages, so the others (the command view above all) do not load
 * its code. One cache per browser tab, shared by those pages; one per request on the server.
 */
export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(() => (typeof window === "undefined" ? newClient() : (browserClient ??= newClient())));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
