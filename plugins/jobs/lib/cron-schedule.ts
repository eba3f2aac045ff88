// Checks a CronJob schedule the way the CronJob controller's parser (robfig/cron's standard
// parser) reads it: an optional `TZ=`/`CRON_TZ=` prefix, then a macro (`@hourly`, `@every 1h30m`)
// or exactly 5 fields — minute, hour, day of month, month, day of week — each a comma list of
// `*`/`?`, `n`, `a-b`, optionally `/step`, months and weekdays also by name. Errors are worded
// like the parser's, which is what the API server prints when it rejects the schedule.

interface Bounds {
  field: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly Bounds[] = [
  { field: 'minute', min: 0, max: 59 },
  { field: 'hour', min: 0, max: 23 },
  { field: 'day of month', min: 1, max: 31 },
  { field: 'month', min: 1, max: 12, names: MONTHS },
  { field: 'day of week', min: 0, max: 6, names: DAYS },
];

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** Go's time.ParseDuration units, for `@every`. */
const GO_DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/;

export interface ScheduleProblem {
  /** The parser's wording, e.g. `end of range (61) above maximum (59): 61`. */
  message: string;
  /** Which of the 5 fields is wrong, when one is. */
  field?: string;
}

function value(text: string, b: Bounds): number | string {
  const named = b.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (b.field === 'month' ? 1 : 0);
  return /^\d+$/.test(text) ? Number(text) : `failed to parse int from ${text}`;
}

function checkRange(expr: string, b: Bounds): string | undefined {
  const slash = expr.split('/');
  if (slash.length > 2) return `too many slashes: ${expr}`;
  const hyphen = slash[0]!.split('-');
  if (hyphen.length > 2) return `too many hyphens: ${expr}`;
  let start = b.min;
  let end = b.max;
  if (hyphen[0] !== '*' && hyphen[0] !== '?') {
    const s = value(hyphen[0]!, b);
    if (typeof s === 'string') return s;
    start = s;
    end = s;
    if (hyphen.length === 2) {
      const e = value(hyphen[1]!, b);
      if (typeof e === 'string') return e;
      end = e;
    }
  } else if (hyphen.length === 2) return `failed to parse int from ${hyphen[0]}`;
  if (slash.length === 2) {
    const step = value(slash[1]!, { ...b, names: undefined });
    if (typeof step === 'string') return step;
    if (step <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

/** What is wrong with a schedule, or undefined when the CronJob controller can run it. */
export function scheduleProblem(schedule: unknown): ScheduleProblem | undefined {
  if (typeof schedule !== 'string' || schedule.trim() === '') return { message: 'empty spec string' };
  let spec = schedule.trim();
  const tz = /^(?:CRON_)?TZ=\S*/.exec(spec);
  if (tz) {
    if (tz[0].endsWith('=')) return { message: `provided bad location : ${spec}` };
    spec = spec.slice(tz[0].length).trim();
  }
  if (spec.startsWith('@')) {
    if (MACROS.has(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length).trim();
      return GO_DURATION.test(d)
        ? undefined
        : { message: `failed to parse duration ${spec}: time: invalid duration "${d}"` };
    }
    return { message: `unrecognized descriptor: ${spec}` };
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== FIELDS.length)
    return { message: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  for (let i = 0; i < FIELDS.length; i++) {
    for (const expr of fields[i]!.split(',')) {
      const message = checkRange(expr, FIELDS[i]!);
      if (message) return { message, field: FIELDS[i]!.field };
    }
  }
  return undefined;
}
