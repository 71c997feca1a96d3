import { Providers } from "@/app/_components/providers";

/** The alerts pages keep their lists in React Query's cache; other pages do without its code. */
export default function AlertsLayout({ children }: { children: React.ReactNode }) {
  return <Providers>{children}</Providers>;
}
