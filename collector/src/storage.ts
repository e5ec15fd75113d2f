/**
 * JSON values in localStorage under a `datafly:` prefix. Storage can be full, disabled or throw
 * on access (some private modes, sandboxed iframes); the collector then simply forgets.
 */
const PREFIX = 'datafly:';

export function load<T>(key: string): T | undefined {
  try {
    const text = localStorage.getItem(PREFIX + key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores `value`, or removes the key when it is undefined. A caller that has already serialised
 * the value (to measure it) passes the text to spare a second serialisation.
 */
export function save(key: string, value: unknown, text = JSON.stringify(value)): void {
  try {
    if (value === undefined) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, text);
  } catch {
    // Nothing to do: the value lives on in memory for this page.
  }
}
