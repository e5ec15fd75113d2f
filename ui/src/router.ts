/**
 * Client-side routes under `/ui/`. The server answers index.html for every `/ui/*` path, so a
 * route is an ordinary URL: it can be bookmarked, reloaded and opened in a new tab.
 */

export const BASE = '/ui';

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Aborted when the user leaves the page: pending requests and sockets stop with it. */
  signal: AbortSignal;
}

/** Renders a page into `main`; the returned function, if any, runs when the page is left. */
export type PageRenderer = (
  main: HTMLElement,
  context: RouteContext,
) => void | (() => void) | Promise<void | (() => void)>;

export interface Route {
  pattern: string;
  /** The navigation entry highlighted while this route is shown. */
  section: string;
  render: PageRenderer;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export class Router {
  private routes: CompiledRoute[];
  private listeners: ((path: string) => void)[] = [];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => compile(route));
    active = this;
    window.addEventListener('popstate', () => this.emit());
    // One listener for every same-app link: plain <a href="/ui/..."> elements navigate in place.
    document.addEventListener('click', (event) => this.interceptLink(event));
  }

  onChange(listener: (path: string) => void): void {
    this.listeners.push(listener);
  }

  navigate(path: string, options: { replace?: boolean } = {}): void {
    const url = path.startsWith(BASE) ? path : `${BASE}${path}`;
    if (options.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.emit();
  }

  /** The route for the current location, with its parameters. */
  match(pathname = location.pathname): { route: Route; params: Record<string, string> } | null {
    const path = pathname.replace(/\/+$/, '') || BASE;
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { route, params };
    }
    return null;
  }

  private emit(): void {
    for (const listener of this.listeners) listener(location.pathname);
  }

  private interceptLink(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;

    const target = event.target instanceof Element ? event.target.closest('a') : null;
    if (!target || target.target || target.hasAttribute('download')) return;

    const url = new URL(target.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(`${BASE}/`)) return;

    event.preventDefault();
    this.navigate(url.pathname + url.search);
  }
}

/** Turns `/integrations/:id` into a regular expression capturing `id`. */
function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = (BASE + route.pattern)
    .replace(/\/+$/, '')
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, names, regex: new RegExp(`^${source}$`) };
}

let active: Router | undefined;

/** Goes to a page of the UI (`/integrations/actito`), as a click on a link would. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  active?.navigate(path, options);
}

/** A link to a page of the UI, for `href` attributes. */
export function href(path: string): string {
  return `${BASE}${path}`;
}
