/**
 * Entry of `datafly.js`, the script-tag build. Configured by its own tag:
 *
 *   <script async src="https://data.example.com/datafly.js" data-pipeline-key="dk_..."></script>
 *
 * `data-endpoint` overrides the collection origin (default: the script's own origin) and
 * `data-auto-page="false"` turns off automatic page views. Calls the inline snippet queued on its
 * stub before this script arrived are replayed in order.
 */
import { createDatafly } from './datafly.js';
import { safe } from './safe.js';
import type { DataflyStub } from './types.js';

safe(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const stub = window.datafly;

  // A second copy of the script on the page must not start a second collector.
  if (!script || (stub && !('q' in stub))) return;

  const data = (name: string) => script.getAttribute('data-' + name);
  const datafly = createDatafly({
    pipelineKey: data('pipeline-key') ?? '',
    endpoint: data('endpoint') ?? new URL(script.src).origin,
    autoPage: data('auto-page') != 'false',
  });
  window.datafly = datafly;

  for (const [method, ...args] of (stub as DataflyStub | undefined)?.q ?? []) {
    (datafly[method] as ((...args: unknown[]) => void) | undefined)?.(...args);
  }
})();
