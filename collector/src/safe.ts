/**
 * Wraps a function so that nothing it throws reaches the page: the collector runs inside other
 * people's sites, and an analytics failure must never become their error or console noise.
 */
export function safe<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
  return (...args) => {
    try {
      return fn(...args);
    } catch {
      return undefined;
    }
  };
}
