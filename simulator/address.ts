/** SMTP address syntax check, the same rule the SQL API uses (team contract): plain addresses only. */
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

export function isValidSmtpAddress(raw: string): boolean {
  const address = raw.trim();
  if (address.length === 0 || address.length > 320) return false;
  const at = address.indexOf('@');
  if (at <= 0 || at !== address.lastIndexOf('@')) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return false;
  if (domain.length === 0 || domain.length > 255) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((label) => LABEL.test(label));
}

export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}
