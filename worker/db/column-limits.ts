/**
 * Sizes of the rc.Jobs / rc.JobEvents columns the worker writes (V0001 in both dialects) and the one way values
 * are cut to fit them, so a long Exchange error message never makes a status move fail.
 */
export const JOB_COLUMN_LIMITS = {
  code: 100,
  message: 2000,
  workerId: 200,
  itemId: 512,
  changeKey: 512,
} as const;

/**
 * Cuts a string to `max` UTF-16 code units without splitting a surrogate pair. That fits both nvarchar(n)
 * (counts code units) and PostgreSQL's varchar(n) (counts code points, never more than code units).
 */
export function fitColumn(value: string, max: number): string;
export function fitColumn(value: string | null, max: number): string | null;
export function fitColumn(value: string | null, max: number): string | null {
  if (value === null || value.length <= max) return value;
  const cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
