/**
 * Entry of `datafly.esm.js`, the `@signal/datafly` package, for sites that bundle the collector
 * or import it as a module instead of loading the script:
 *
 *   import { createDatafly } from '@signal/datafly';
 *   const datafly = createDatafly({ pipelineKey: 'dk_...', endpoint: 'https://data.example.com' });
 *
 * It does not touch `window.datafly`; call it once, in the browser.
 */
export { createDatafly } from './datafly.js';
export { VERSION } from './version.js';
export type {
  Categories,
  Consent,
  Datafly,
  DataflyEvent,
  DataflyOptions,
  Properties,
} from './types.js';
