/**
 * Secrets out of text: the one rule for every record, message and trace that may hold an API
 * key or a token, whether it is written when a vendor answers or checked again before the
 * debugger shows it.
 */

export const MASK = '****';

/**
 * `text` with every occurrence of each secret replaced by a mask. Every configured or issued
 * value is scrubbed whatever its length: a short API key is as secret as a long one, and masking
 * a word that happens to equal it is the lesser harm. Longer secrets go first, so a key that is
 * part of a token cannot leave the rest of the token readable.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secretScrubber(secrets)(text);
}

/**
 * `scrubSecrets` for one list of secrets and many texts: the list is filtered and ordered once,
 * not again for every string of a trace.
 */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const longestFirst = secrets.filter((s) => s !== '').sort((a, b) => b.length - a.length);

  return (text) => {
    let scrubbed = text;
    for (const secret of longestFirst) {
      if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(MASK);
    }
    return scrubbed;
  };
}

/**
 * A copy of `headers` with the value of every header `isSecretName` picks masked by
 * `maskCredential`. Each caller keeps its own rule for which names carry credentials.
 */
export function maskHeaders(
  headers: Record<string, string>,
  isSecretName: (name: string) => boolean,
): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    masked[name] = isSecretName(name) ? maskCredential(value) : value;
  }
  return masked;
}

/** Keeps an auth scheme visible (`Bearer ****`) but never any part of the credential. */
export function maskCredential(value: string): string {
  const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
  return scheme ? `${scheme} ${MASK}` : MASK;
}
