/** Percentiles of recorded latencies. */

/** The `p`-th percentile (0..100) of `values` by nearest rank; 0 for no values. */
export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return 0;

  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(Math.max(rank, 0), sorted.length - 1)] ?? 0;
}

/** A growable list of numbers that does not box each one. */
export class Samples {
  private values = new Float64Array(1 << 16);
  private count = 0;

  push(value: number): void {
    if (this.count === this.values.length) {
      const larger = new Float64Array(this.values.length * 2);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.count++] = value;
  }

  get length(): number {
    return this.count;
  }

  toArray(): Float64Array {
    return this.values.subarray(0, this.count);
  }
}
