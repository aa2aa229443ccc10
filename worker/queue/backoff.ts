/**
 * Retry delay: exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a uniformly random delay in [0, min(max, base · 2^(attempt-1))], but never shorter than what Exchange asked
 * for (BackOffMilliseconds / Retry-After).
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export function computeBackoffMs(
  attempt: number,
  options: BackoffOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity for huge attempts; min() keeps the cap finite.
  const ceiling = Math.min(options.maxMs, options.baseMs * Math.pow(2, Math.min(exponent, 60)));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, Math.ceil(retryAfterMs ?? 0));
}
