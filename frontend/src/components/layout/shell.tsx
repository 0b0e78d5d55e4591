// The frame of every signed-in page: a sidebar on wide screens, a top bar with a
// collapsible menu on narrow ones.

import { useId, useState, type ReactNode } from "react";
import { NavLink } from "react-router";

import { cn } from "@/lib/cn";

export interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  end?: boolean;
  /** Shown after the label, e.g. how many issues are open. */
  badge?: ReactNode;
}

function Brand() {
  return (
    <div className="flex items-center gap-2">
      <span className="flex size-7 items-center justify-center rounded-md bg-indigo-600 font-mono text-sm font-bold text-white" aria-hidden="true">
        R
      </span>
      <span className="text-sm font-semibold tracking-tight text-gray-900">RelayCore</span>
    </div>
  );
}

function NavList({ items, onNavigate }: { items: NavItem[]; onNavigate: () => void }) {
  return (
    <ul className="space-y-0.5">
      {items.map((item) => (
        <li key={item.to}>
          <NavLink
            to={item.to}
            end={item.end}
            onClick={onNavigate}
            className={({ isActive }) =>
              cn(
                "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium",
                isActive ? "bg-indigo-50 text-indigo-700" : "text-gray-700 hover:bg-gray-100 hover:text-gray-900",
              )
            }
          >
            <span className="size-4 shrink-0" aria-hidden="true">
              {item.icon}
            </span>
            {item.label}
            {item.badge}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

export function Shell({ items, footer, children }: { items: NavItem[]; footer: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();

  return (
    <div className="min-h-dvh bg-gray-50 lg:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex h-14 items-center justify-between border-b border-gray-200 bg-white px-4 lg:hidden">
        <Brand />
        <button
          type="button"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen((value) => !value)}
          className="rounded-md p-2 text-gray-700 hover:bg-gray-100"
        >
          <span className="sr-only">{open ? "Close menu" : "Open menu"}</span>
          <svg viewBox="0 0 20 20" className="size-5" aria-hidden="true">
            {open ? (
              <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            ) : (
              <path d="M3 6h14M3 10h14M3 14h14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            )}
          </svg>
        </button>
      </header>
      <aside
        id={menuId}
        className={cn(
          "z-20 border-gray-200 bg-white lg:sticky lg:top-0 lg:flex lg:h-dvh lg:w-56 lg:shrink-0 lg:flex-col lg:border-r",
          open ? "fixed inset-x-0 top-14 bottom-0 flex flex-col overflow-y-auto border-b" : "hidden",
        )}
      >
        <div className="hidden h-14 items-center border-b border-gray-200 px-4 lg:flex">
          <Brand />
        </div>
        <nav aria-label="Main" className="flex-1 p-3">
          <NavList items={items} onNavigate={() => setOpen(false)} />
        </nav>
        <div className="border-t border-gray-200 p-3">{footer}</div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8">
        <div className="mx-auto max-w-7xl">{children}</div>
      </main>
    </div>
  );
}
