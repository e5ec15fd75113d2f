/**
 * Runs one `IntegrationWorker` per active integration and keeps the set in step with the
 * configuration.
 */
import { IntegrationWorker, type WorkerDependencies } from './integration-worker.js';

export class DeliveryService {
  private readonly workers = new Map<string, IntegrationWorker>();
  private running = false;

  constructor(private readonly deps: WorkerDependencies) {}

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

    for (const [id, worker] of this.workers) {
      if (!wanted.has(id)) {
        this.workers.delete(id);
        void worker.stop();
      }
    }
    for (const id of wanted) {
      if (this.workers.has(id)) {
        this.workers.get(id)!.notify();
        continue;
      }
      const worker = new IntegrationWorker(id, this.deps);
      this.workers.set(id, worker);
      worker.start();
    }
  }

  notify(integrationIds: Iterable<string>): void {
    for (const id of integrationIds) this.workers.get(id)?.notify();
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
  }
}
