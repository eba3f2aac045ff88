// Enough of the cron format (robfig/cron's five standard fields, UTC) to tell when a CronJob's
// schedule last fired: numbers, `*`, ranges, steps and lists, plus the `@hourly`-style macros.

const FIELDS: [number, number][] = [
  [0, 59], // minute
  [0, 23], // hour
  [1, 31], // day of month
  [1, 12], // month
  [0, 6], // day of week
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseField(text: string, [lo, hi]: [number, number]): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = m[1] === '*' ? lo : Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] !== undefined ? hi : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from < lo || to > hi || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** The most recent time at or before `t` (ms) the schedule fired, within the last `windowDays`; undefined when it cannot be read. */
export function lastFireAtOrBefore(schedule: string, t: number, windowDays = 8): number | undefined {
  const fields = (MACROS[schedule.trim()] ?? schedule).trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const sets = fields.map((f, i) => parseField(f, FIELDS[i] as [number, number]));
  if (sets.some((s) => !s)) return undefined;
  const [min, hour, dom, month, dow] = sets as Set<number>[];
  const domAny = fields[2] === '*';
  const dowAny = fields[4] === '*';
  for (let at = Math.floor(t / 60_000) * 60_000, n = 0; n < windowDays * 1440; at -= 60_000, n++) {
    const d = new Date(at);
    if (!min!.has(d.getUTCMinutes()) || !hour!.has(d.getUTCHours()) || !month!.has(d.getUTCMonth() + 1)) continue;
    // Standard cron: when both day fields are restricted, either may match.
    const domOk = dom!.has(d.getUTCDate());
    const dowOk = dow!.has(d.getUTCDay());
    if (domAny || dowAny ? domOk && dowOk : domOk || dowOk) return at;
  }
  return undefined;
}
