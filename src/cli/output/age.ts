/** Age like kubectl prints it (45s, 5m, 3h, 12d), coarse on purpose. */
export function humanAge(from: string | undefined, now: number): string {
  if (!from) return '';
  const t = Date.parse(from);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
