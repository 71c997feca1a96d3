import { SoftLink } from "@/app/_components/soft-link";
import { ConsoleMenuButton } from "./console-menu-button";

/**
 * The console's frame: a sidebar on wide screens; on a phone a top bar whose Menu button opens
 * the navigation (closed again on every navigation), so pages start at the top of the screen.
 * Server-rendered; only the Menu button is client code.
 */
export function ConsoleFrame({ declare, bell, nav, account, children }: { declare: React.ReactNode; bell?: React.ReactNode; nav: React.ReactNode; account: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-panel focus:p-2">Skip to content</a>
      <header className="border-b border-line bg-panel md:flex md:w-56 md:shrink-0 md:flex-col md:border-r md:border-b-0">
        <div className="flex items-center justify-between gap-2 px-4 py-3">
          <SoftLink href="/" className="text-lg font-bold tracking-tight">Sitrep</SoftLink>
          <span className="ml-auto">{bell}</span>
          <ConsoleMenuButton controls="console-nav" />
        </div>
        {declare && <div className="px-4 pb-3">{declare}</div>}
        <div id="console-nav" className="max-md:hidden max-md:data-open:block md:flex md:flex-1 md:flex-col">
          {nav}
          <div className="mt-auto border-t border-line px-4 py-3 text-sm">{account}</div>
        </div>
      </header>
      <main id="main" className="min-w-0 flex-1 px-3 py-4 sm:px-4 md:px-8 md:py-6">{children}</main>
    </div>
  );
}
