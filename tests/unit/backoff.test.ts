import { computeBackoffMs } from '../../worker/queue/backoff';

const opts = { baseMs: 1000, maxMs: 60000 };

describe('computeBackoffMs', () => {
  it('grows exponentially with the attempt (upper bound with random → 1)', () => {
    const top = () => 0.999999;
    expect(computeBackoffMs(1, opts, undefined, top)).toBe(999);
    expect(computeBackoffMs(2, opts, undefined, top)).toBe(1999);
    expect(computeBackoffMs(4, opts, undefined, top)).toBe(7999);
  });

  it('is capped at maxMs and survives huge attempt numbers', () => {
    expect(computeBackoffMs(50, opts, undefined, () => 0.999999)).toBe(59999);
    expect(computeBackoffMs(100000, opts, undefined, () => 0.5)).toBe(30000);
  });

  it('uses full jitter: anywhere from 0 to the ceiling', () => {
    expect(computeBackoffMs(3, opts, undefined, () => 0)).toBe(0);
    expect(computeBackoffMs(3, opts, undefined, () => 0.5)).toBe(2000);
  });

  it("never goes below the server's retry-after, even above maxMs", () => {
    expect(computeBackoffMs(1, opts, 5000, () => 0)).toBe(5000);
    expect(computeBackoffMs(3, opts, 120000, () => 0.9)).toBe(120000);
    expect(computeBackoffMs(10, opts, 10, () => 0.5)).toBe(30000);
  });

  it('stays within bounds for random draws', () => {
    for (let i = 0; i < 1000; i++) {
      const attempt = 1 + (i % 12);
      const d = computeBackoffMs(attempt, opts, 250);
      expect(d).toBeGreaterThanOrEqual(250);
      expect(d).toBeLessThanOrEqual(Math.min(60000, 1000 * 2 ** (attempt - 1)));
    }
  });
});
