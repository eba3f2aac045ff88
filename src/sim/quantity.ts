// resource.Quantity as the simulated control plane needs it: parsed to a number (cores for
// cpu, bytes for memory and storage) and printed back the way Quantity.String() canonicalises
// a sum (`40m` + `40m` = `80m`, `256Mi` + `256Mi` = `512Mi`, `500m` + `500m` = `1`), which is
// what quota and LimitRange messages quote.

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

const QUANTITY = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/;

/** A quantity as a number; 0 for absent or unparsable values. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = QUANTITY.exec(q.trim());
  if (!m) return 0;
  return Number(m[1]) * (SUFFIX[m[2] as string] ?? 1);
}

export type QuantityFormat = 'BinarySI' | 'DecimalSI';

/** The format a written quantity carries: binary when it uses Ki/Mi/Gi... (Quantity keeps it through sums). */
export function formatOf(q: string | number | undefined): QuantityFormat {
  return typeof q === 'string' && /[KMGTPE]i$/.test(q.trim()) ? 'BinarySI' : 'DecimalSI';
}

const BINARY: [string, number][] = [
  ['Ei', 1024 ** 6],
  ['Pi', 1024 ** 5],
  ['Ti', 1024 ** 4],
  ['Gi', 1024 ** 3],
  ['Mi', 1024 ** 2],
  ['Ki', 1024],
];
const DECIMAL: [string, number][] = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
];

const isWhole = (x: number): boolean => Math.abs(x - Math.round(x)) < 1e-9;

/** Quantity.String(): the largest suffix of the value's format that keeps it whole. */
export function formatQuantity(value: number, format: QuantityFormat = 'DecimalSI'): string {
  if (value === 0) return '0';
  if (isWhole(value)) {
    for (const [suffix, factor] of format === 'BinarySI' ? BINARY : DECIMAL)
      if (Math.abs(value) >= factor && isWhole(value / factor)) return `${Math.round(value / factor)}${suffix}`;
    return String(Math.round(value));
  }
  for (const [suffix, factor] of [
    ['m', 1e-3],
    ['u', 1e-6],
    ['n', 1e-9],
  ] as const)
    if (isWhole(value / factor)) return `${Math.round(value / factor)}${suffix}`;
  return `${Math.ceil(value / 1e-9)}n`;
}
