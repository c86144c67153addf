/** Summary statistics shared by the bench tools. */

/** The middle value, or the mean of the two middle values of an even count; NaN for none. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const hi = s[Math.floor(s.length / 2)] ?? Number.NaN;
  return s.length % 2 === 1 ? hi : ((s[s.length / 2 - 1] ?? Number.NaN) + hi) / 2;
}

/** The nearest-rank percentile `p` (0-100); NaN for none. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN);
}
