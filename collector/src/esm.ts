/**
 * Entry of `datafly.esm.js`, for sites that bundle the collector instead of loading the script:
 *
 *   import { createDatafly } from './datafly.esm.js';
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
