// Time as the API server writes it: RFC 3339 with whole seconds for metav1.Time, microseconds
// for metav1.MicroTime (eventTime), and ages the way kubectl prints them.

/** metav1.Time: `2026-11-21T21:32:59Z`. */
export const rfc3339 = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** metav1.MicroTime: `2026-11-21T21:32:59.816165Z`. */
export function microTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // millisecond precision
  return `${iso.slice(0, 23)}${String(Math.floor((ms % 1) * 1000)).padStart(3, '0')}Z`;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RELATIVE = /^-(\d+(?:\.\d+)?[smhd])+$/;

/** `-2h`, `-1h30m`, `-45s` → milliseconds before now; undefined when `text` is not relative. */
export function parseRelative(text: string): number | undefined {
  if (!RELATIVE.test(text)) return undefined;
  let total = 0;
  for (const m of text.slice(1).matchAll(/(\d+(?:\.\d+)?)([smhd])/g))
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
  return total;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration: what the AGE column shows. */
function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Age of an RFC 3339 timestamp, `<unknown>` when absent (translateTimestampSince). */
export function ageOf(timestamp: string | null | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}
