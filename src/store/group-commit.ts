/**
 * Group commit: writes requested while one flush is being prepared share that flush, so a
 * hundred concurrent requests cost one transaction (and one fsync) instead of a hundred.
 * Each caller's promise settles with the outcome of the flush that carried its items.
 */
interface Waiter<T> {
  items: T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  private waiting: Waiter<T>[] = [];
  private scheduled = false;

  /**
   * `flush` writes every item durably in one transaction, or throws. `gatherMs` waits that long
   * for more writers before flushing (0: only those of the current turn of the event loop).
   */
  constructor(
    private readonly flush: (items: T[]) => void | Promise<void>,
    private readonly gatherMs = 0,
  ) {}

  write(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets every request already parsed in this turn of the loop join.
        if (this.gatherMs > 0) setTimeout(() => void this.run(), this.gatherMs);
        else setImmediate(() => void this.run());
      }
    });
  }

  private async run(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;

    try {
      await this.flush(batch.flatMap((waiter) => waiter.items));
      for (const waiter of batch) waiter.resolve();
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  }
}
