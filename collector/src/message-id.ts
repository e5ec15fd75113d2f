/**
 * A random UUID v4 for `messageId`, the key the server deduplicates on. `crypto.randomUUID` exists
 * only in secure contexts, so plain-http pages get one built from `crypto.getRandomValues`.
 */
export function messageId(): string {
  return (
    crypto.randomUUID?.() ??
    '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
      (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
    )
  );
}
