/**
 * What the collector reads and writes on `window`: its own `datafly` (the API, or the inline
 * snippet's stub until the script arrives) and the CMP APIs it reads consent from. Kept out of
 * `types.ts`, whose declarations ship with the ES module: a site that bundles the module must not
 * find these globals added to its own types, where they could clash with its CMP's.
 */
import type { Datafly, DataflyStub, TcfApi } from './types.js';

declare global {
  interface Window {
    datafly?: Datafly | DataflyStub;
    __tcfapi?: TcfApi;
    Cookiebot?: { consent?: Record<string, unknown> };
  }
}
