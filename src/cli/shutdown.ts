/**
 * Resolves on the first SIGINT or SIGTERM, so a long-running command can close cleanly.
 */
import type { Logger } from '../observability/logger.js';

export function waitForShutdown(logger?: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      logger?.info({ signal }, 'shutting down');
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
