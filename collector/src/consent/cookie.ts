/** The raw (still URL-encoded) value of a first-party cookie, or undefined. */
export function readCookie(name: string): string | undefined {
  return document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'))?.[1];
}
