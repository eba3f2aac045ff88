// Where a Helm release's user values set something, so a fix can name the exact value to
// change instead of a guess. Only the user-supplied values are recorded in the release;
// chart defaults are not, so a miss here means "the chart's default", not "absent".

export interface ValueHit {
  /** `--set` syntax: `image.tag`, `imagePullSecrets[0].name`. */
  path: string;
  value: unknown;
}

// Values trees are small, but hostile input could nest deeply or be huge.
const MAX_DEPTH = 8;
const MAX_HITS = 20;

function join(parent: string, key: string): string {
  const escaped = key.replace(/\./g, '\\.');
  return parent ? `${parent}.${escaped}` : escaped;
}

/** Every value whose key and value satisfy `match`, depth-first in key order. */
export function findValues(values: unknown, match: (key: string, value: unknown) => boolean): ValueHit[] {
  const hits: ValueHit[] = [];
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH || hits.length >= MAX_HITS || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const p = join(path, key);
      if (match(key, value)) hits.push({ path: p, value });
      walk(value, p, depth + 1);
    }
  };
  walk(values, '', 0);
  return hits;
}

export interface PullSecretValue {
  /** The values line to add, e.g. `imagePullSecrets: [{name: regcred}]`. */
  line: string;
  /** The same as a `--set` argument. */
  set: string;
}

// Charts disagree on the key and on the entry shape; the jaeger-operator chart (S1) takes a
// list of plain names under `image` and puts them on the ServiceAccount it creates.
const KNOWN_CHARTS: Record<string, (secret: string) => PullSecretValue> = {
  'jaeger-operator': (secret) => ({
    line: `image.imagePullSecrets: [${secret}]`,
    set: `image.imagePullSecrets[0]=${secret}`,
  }),
};

/**
 * The values change that adds a pull secret: appended to an `imagePullSecrets` list the user
 * already sets (in the same entry shape), else the chart's known key, else the common
 * `imagePullSecrets: [{name: ...}]`.
 */
export function pullSecretValue(values: unknown, chartName: string | undefined, secret: string): PullSecretValue {
  const existing = findValues(values, (key, value) => key === 'imagePullSecrets' && Array.isArray(value))[0];
  if (existing && Array.isArray(existing.value)) {
    const names = existing.value.map((e: unknown) =>
      typeof e === 'string' ? e : String((e as { name?: unknown } | null)?.name ?? ''),
    );
    names.push(secret);
    const plainNames = existing.value.length > 0 && existing.value.every((e: unknown) => typeof e === 'string');
    // `--set` replaces a list as a whole (even with --reuse-values), so every entry is set again.
    if (plainNames)
      return { line: `${existing.path}: [${names.join(', ')}]`, set: `${existing.path}={${names.join(',')}}` };
    return {
      line: `${existing.path}: [${names.map((n) => `{name: ${n}}`).join(', ')}]`,
      set: names.map((n, i) => `${existing.path}[${i}].name=${n}`).join(','),
    };
  }
  const known = chartName ? KNOWN_CHARTS[chartName] : undefined;
  if (known) return known(secret);
  return { line: `imagePullSecrets: [{name: ${secret}}]`, set: `imagePullSecrets[0].name=${secret}` };
}
