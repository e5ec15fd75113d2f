/**
 * The message ids processed most recently, up to a fixed number, for dropping duplicates.
 *
 * Kept in memory rather than in an indexed table: message ids are random, so every id written
 * to a B-tree dirties a page of its own, and at ten thousand events a second that came to about
 * 100 MB/s of disk writes for dedupe alone, competing with the event log's syncs. The store
 * fills the window again from its event log on start, so nothing durable is lost with it.
 *
 * Each id is kept as a 64-bit hash of pipeline and message id (about 16 bytes an id): two ids
 * are taken for one with a chance of about 1 in 10^13 for a full window. When the window is full
 * the oldest id makes room, so a duplicate older than the window is processed again.
 */
export class RecentMessageIds {
  /** Hashes in order of arrival, as a ring; `next` is where the next one goes. */
  private readonly high: Uint32Array;
  private readonly low: Uint32Array;
  private next = 0;
  private size = 0;
  /** Open addressing with linear probing: ring position + 1, or 0 for an empty slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
    }
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);

    // At most half full, so that probes stay short.
    let slotCount = 2;
    while (slotCount < capacity * 2) slotCount *= 2;
    this.slots = new Int32Array(slotCount);
    this.mask = slotCount - 1;
  }

  get count(): number {
    return this.size;
  }

  has(pipelineId: string, messageId: string): boolean {
    hashInto(pipelineId, messageId);
    return this.slotOf(hashed.high, hashed.low) >= 0;
  }

  /** Remembers an id; one already remembered keeps its place. */
  add(pipelineId: string, messageId: string): void {
    hashInto(pipelineId, messageId);
    const { high, low } = hashed;
    if (this.slotOf(high, low) >= 0) return;

    if (this.size === this.capacity) this.forget(this.next);
    else this.size += 1;

    this.high[this.next] = high;
    this.low[this.next] = low;
    let slot = low & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = this.next + 1;
    this.next = (this.next + 1) % this.capacity;
  }

  private slotOf(high: number, low: number): number {
    for (let slot = low & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      if (this.low[entry - 1] === low && this.high[entry - 1] === high) return slot;
    }
  }

  /**
   * Removes the id at a ring position. The entries after its slot move back where their probe
   * would now stop short of them, so no lookup ever meets a hole before its id.
   */
  private forget(position: number): void {
    let hole = this.slotOf(this.high[position]!, this.low[position]!);
    this.slots[hole] = 0;

    for (let slot = (hole + 1) & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      const home = this.low[entry - 1]! & this.mask;
      const reachableFromHome =
        hole <= slot ? home <= hole || home > slot : home <= hole && home > slot;
      if (reachableFromHome) {
        this.slots[hole] = entry;
        this.slots[slot] = 0;
        hole = slot;
      }
    }
  }
}

/** The last hash computed, kept in one place so that a lookup allocates nothing. */
const hashed = { high: 0, low: 0 };

/**
 * Two 32-bit FNV-1a hashes with different multipliers over `pipelineId`, a separator and
 * `messageId`, each finished with MurmurHash3's mixer so that the low bits (the slot) are even.
 */
function hashInto(pipelineId: string, messageId: string): void {
  let high = 0x811c9dc5;
  let low = 0x2f1a5c3b;
  for (const text of [pipelineId, messageId]) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      high = Math.imul(high ^ code, 0x01000193);
      low = Math.imul(low ^ code, 0x5bd1e995);
    }
    high = Math.imul(high ^ 0xffff, 0x01000193);
    low = Math.imul(low ^ 0xffff, 0x5bd1e995);
  }
  hashed.high = finish(high);
  hashed.low = finish(low);
}

function finish(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
