/** Small numeric helpers for the benchmark report. */

/** The q-quantile (0…1) of already sorted values, nearest rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function sortedCopy(values: Iterable<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** performance-based wall clock in epoch ms with sub-ms precision (same basis as the generator's). */
export const wallNow = (): number => performance.timeOrigin + performance.now();
