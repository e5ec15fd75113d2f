/**
 * Starts a worker thread on a module of this code base, whether Signal runs compiled (the `.js`
 * file beside the caller) or from its TypeScript sources. From the sources, the thread first
 * registers tsx: a worker thread does not inherit the loader the main thread registered.
 */
import { Worker } from 'node:worker_threads';

/**
 * `callerUrl` is the starting module's `import.meta.url`; `sibling` names the module to run
 * beside it, without extension (`./engine-worker`).
 */
export function startModuleWorker(callerUrl: string, sibling: string, workerData: unknown): Worker {
  return new Worker(bootstrapCode(callerUrl, sibling), { eval: true, workerData });
}

function bootstrapCode(callerUrl: string, sibling: string): string {
  const fromSources = callerUrl.endsWith('.ts');
  const entry = new URL(`${sibling}${fromSources ? '.ts' : '.js'}`, callerUrl).href;
  if (!fromSources) return `import(${JSON.stringify(entry)});`;

  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)})
    .then((api) => api.register())
    .then(() => import(${JSON.stringify(entry)}));`;
}
