/**
 * Calls `onNavigate` after every client-side navigation: `history.pushState`/`replaceState`
 * (wrapped, since browsers fire no event for them) and `popstate` (back and forward).
 */
import { safe } from './safe.js';

export function watchNavigation(onNavigate: () => void): void {
  // A timeout lets the router update the document (its title) before the page view reads it.
  const later = safe(() => setTimeout(safe(onNavigate)));

  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      later();
      return result;
    };
  }

  addEventListener('popstate', later);
}
