import { shortDuration } from '../util/duration.js';

/** Age like kubectl prints it (45s, 5m, 3h, 12d). */
export function humanAge(from: string | undefined, now: number): string {
  if (!from) return '';
  const t = Date.parse(from);
  return Number.isNaN(t) ? '' : shortDuration(now - t);
}
