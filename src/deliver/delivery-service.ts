/**
 * Runs one `IntegrationWorker` per active integration and keeps the set in step with the
 * configuration. Each worker has its own connections to its vendor, so integrations that share
 * a host (several Actito licences on api.actito.com) never wait for each other's sockets.
 */
import { HttpClient } from './http-client.js';
import {
  IntegrationWorker,
  MAX_CONCURRENCY,
  type WorkerDependencies,
} from './integration-worker.js';

/** What the service needs: a worker's dependencies, but the vendor connections are its own. */
export type DeliveryServiceDependencies = Omit<WorkerDependencies, 'http'> & {
  /** Vendor call timeout, when an integration sets none. */
  vendorTimeoutMs: number;
};

/** A worker's connections: one per concurrent call, and spares for token exchanges. */
const CONNECTIONS_PER_WORKER = MAX_CONCURRENCY + 3;

export class DeliveryService {
  private readonly workers = new Map<string, { worker: IntegrationWorker; http: HttpClient }>();
  private running = false;

  constructor(private readonly deps: DeliveryServiceDependencies) {}

  /**
   * Starts delivering. `recover` releases claims left by a previous run of this process; only
   * safe when no other process delivers from the same store.
   */
  async start(options: { recover: boolean }): Promise<void> {
    if (options.recover) {
      const released = await this.deps.store.recoverClaims();
      if (released > 0) {
        this.deps.logger.info({ released }, 'calls interrupted by the last stop will be retried');
      }
    }
    this.running = true;
    this.sync();
  }

  /** Starts workers for new integrations and stops those of removed or disabled ones. */
  sync(): void {
    if (!this.running) return;
    const wanted = new Set(this.deps.integrations.list().map((active) => active.record.id));

    for (const [id, running] of this.workers) {
      if (!wanted.has(id)) {
        this.workers.delete(id);
        void stopWorker(running);
      }
    }
    for (const id of wanted) {
      const running = this.workers.get(id);
      if (running) {
        running.worker.notify();
        continue;
      }

      const http = new HttpClient({
        timeoutMs: this.deps.vendorTimeoutMs,
        connections: CONNECTIONS_PER_WORKER,
      });
      const worker = new IntegrationWorker(id, { ...this.deps, http });
      this.workers.set(id, { worker, http });
      worker.start();
    }
  }

  notify(integrationIds: Iterable<string>): void {
    for (const id of integrationIds) this.workers.get(id)?.worker.notify();
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.workers.values()].map(stopWorker));
    this.workers.clear();
  }
}

async function stopWorker(running: { worker: IntegrationWorker; http: HttpClient }): Promise<void> {
  await running.worker.stop();
  await running.http.close();
}
