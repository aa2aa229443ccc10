/**
 * Fault injection for the EWS face: latency, dropped connections, HTTP 503, Exchange throttling (HTTP 500
 * ErrorServerBusy with BackOffMilliseconds) and the HTTP 429 + Retry-After that Exchange Online's front door
 * (the same throttling layer as Microsoft Graph) answers with. Rates are probabilities per request.
 */
export interface FaultSettings {
  /** Share of requests answered with ErrorServerBusy (0..1). */
  throttleRate: number;
  /** BackOffMilliseconds reported with ErrorServerBusy. */
  backOffMs: number;
  /** Share of requests answered with HTTP 503 (0..1). */
  errorRate: number;
  /** Delay added before every EWS response. */
  latencyMs: number;
  /** Share of requests whose connection is destroyed without a response (0..1). */
  dropRate: number;
  /** Share of requests answered with HTTP 429 Too Many Requests (0..1). */
  tooManyRequestsRate: number;
  /** Retry-After (seconds) sent with HTTP 429. */
  retryAfterSeconds: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  throttleRate: 0,
  backOffMs: 30_000,
  errorRate: 0,
  latencyMs: 0,
  dropRate: 0,
  tooManyRequestsRate: 0,
  retryAfterSeconds: 1,
});

const RATES = ['throttleRate', 'errorRate', 'dropRate', 'tooManyRequestsRate'] as const;
const DURATIONS = ['backOffMs', 'latencyMs', 'retryAfterSeconds'] as const;

/** Merges `patch` into `base`, refusing values out of range (all problems reported at once). */
export function mergeFaults(
  base: FaultSettings,
  patch: Partial<Record<keyof FaultSettings, unknown>>,
): FaultSettings {
  const problems: string[] = [];
  const next: FaultSettings = { ...base };
  for (const key of RATES) {
    const value = patch[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      problems.push(`${key} must be a number from 0 to 1`);
    else next[key] = value;
  }
  for (const key of DURATIONS) {
    const value = patch[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      problems.push(`${key} must be a number ≥ 0`);
    else next[key] = value;
  }
  const unknown = Object.keys(patch).filter(
    (k) => !(RATES as readonly string[]).includes(k) && !(DURATIONS as readonly string[]).includes(k),
  );
  if (unknown.length) problems.push(`unknown fault setting(s): ${unknown.join(', ')}`);
  if (problems.length) throw new RangeError(`invalid fault settings: ${problems.join('; ')}`);
  return next;
}

export type TransportFault = 'drop' | 'error' | undefined;

/** Faults decided before the request is parsed: a dropped connection or an HTTP 503. */
export function transportFault(settings: FaultSettings, random: () => number = Math.random): TransportFault {
  if (settings.dropRate > 0 && random() < settings.dropRate) return 'drop';
  if (settings.errorRate > 0 && random() < settings.errorRate) return 'error';
  return undefined;
}

export function shouldThrottle(settings: FaultSettings, random: () => number = Math.random): boolean {
  return settings.throttleRate > 0 && random() < settings.throttleRate;
}

export function shouldAnswerTooManyRequests(
  settings: FaultSettings,
  random: () => number = Math.random,
): boolean {
  return settings.tooManyRequestsRate > 0 && random() < settings.tooManyRequestsRate;
}
