/**
 * Where a request carries its pipeline key: `Authorization: Bearer dk_...`, the user name of HTTP
 * Basic auth (`Basic base64("dk_...:")`, as Segment's and RudderStack's libraries send it), or
 * `writeKey` in the body or the pixel's query (browsers that cannot set headers).
 */

/** Keys longer than this are refused without a lookup, so garbage cannot fill the key cache. */
const MAX_KEY_LENGTH = 256;

/** The key in an `Authorization` header, or undefined when there is none we understand. */
export function keyFromAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;

  const space = header.indexOf(' ');
  if (space === -1) return undefined;

  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();

  if (scheme === 'bearer') return usableKey(value);
  if (scheme !== 'basic') return undefined;

  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return usableKey(decoded);

  // Segment and RudderStack send the key as the user name with an empty password; a client that
  // puts it in the password instead is understood too.
  return usableKey(decoded.slice(0, colon)) ?? usableKey(decoded.slice(colon + 1));
}

/** `writeKey` of a parsed body, when it is a string. */
export function keyFromBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;

  const writeKey = (body as { writeKey?: unknown }).writeKey;
  return typeof writeKey === 'string' ? usableKey(writeKey) : undefined;
}

/** An empty key counts as missing; an absurdly long one is kept so that it is refused. */
function usableKey(key: string): string | undefined {
  return key.length === 0 ? undefined : key;
}

/** Whether a key is short enough to be worth looking up. */
export function isPlausibleKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH;
}
