/**
 * The collector's version, sent as `context.library.version`. The published manifest takes it
 * (write-package.ts), whatever collector/package.json says; version.test.ts keeps both that
 * file and Signal's package.json equal to it.
 */
export const VERSION = '0.1.0';
