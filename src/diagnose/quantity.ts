// Kubernetes resource quantities (`100m`, `4Gi`, `1e3`) as plain numbers, and back into
// words a learner reads ("1.25 CPU", "3.79Gi"). CPU is counted in cores, everything else in
// its base unit (bytes for memory and storage, a count for pods and devices).
import type { Container, PodSpec } from '../model/k8s.js';

const BINARY_SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL_SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

// The apimachinery grammar: a signed decimal number, then a binary suffix, a decimal
// exponent (`e3`, `E-2`) or a decimal suffix. `1E` is one exa; `1E3` is a thousand.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/;

// 10,000 pods request the same few amounts (`100m`, `128Mi`) over and over.
const parsed = new Map<string, number | undefined>();
const MAX_REMEMBERED = 4096;

/** A quantity as a number, or undefined when it is not one (hostile input never throws). */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.length > 64) return undefined;
  if (parsed.has(value)) return parsed.get(value);
  const n = parseText(value);
  if (parsed.size >= MAX_REMEMBERED) parsed.clear();
  parsed.set(value, n);
  return n;
}

function parseText(value: string): number | undefined {
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  let n = base;
  if (m[2]) n = base * (BINARY_SUFFIX[m[2]] ?? 1);
  else if (m[3] !== undefined) n = base * 10 ** Number(m[3]);
  else if (m[4]) n = base * (DECIMAL_SUFFIX[m[4]] ?? 1);
  return Number.isFinite(n) ? n : undefined;
}

function trimmed(n: number, decimals: number): string {
  return String(Number(n.toFixed(decimals)));
}

/** Cores with millicore precision: `64`, `1.25`, `0.1`. */
export function formatCpu(cores: number): string {
  return trimmed(cores, 3);
}

/** Bytes in the largest binary unit that keeps the number at 1 or more: `4Gi`, `3.79Gi`, `488.28Mi`. */
export function formatMemory(bytes: number): string {
  const units: [string, number][] = [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ];
  for (const [unit, size] of units) if (Math.abs(bytes) >= size) return `${trimmed(bytes / size, 2)}${unit}`;
  return `${trimmed(bytes, 0)} bytes`;
}

const BYTE_RESOURCES = /^(memory|ephemeral-storage|storage|hugepages-.+)$/;

/** A resource amount in words: `1.25 CPU`, `3.79Gi`, `110` (pods, GPUs). */
export function formatResource(resource: string, amount: number): string {
  if (resource === 'cpu') return `${formatCpu(amount)} CPU`;
  if (BYTE_RESOURCES.test(resource)) return formatMemory(amount);
  return trimmed(amount, 3);
}

/** The same amount as a quantity kubectl accepts: `1250m`, `512Mi`. Rounded down so it still fits. */
export function toQuantity(resource: string, amount: number): string {
  if (resource === 'cpu') {
    const milli = Math.floor(amount * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (BYTE_RESOURCES.test(resource)) {
    const mi = Math.floor(amount / 2 ** 20);
    return mi > 0 ? `${mi}Mi` : String(Math.floor(amount));
  }
  return String(Math.floor(amount));
}

/** Each of the containers' requests, passed to `add` as a number. */
function eachRequest(containers: readonly Container[] | undefined, add: (name: string, n: number) => void): void {
  if (!Array.isArray(containers)) return;
  for (const c of containers) {
    const requests = c?.resources?.requests;
    if (!requests || typeof requests !== 'object') continue;
    for (const name of Object.keys(requests)) {
      const n = parseQuantity(requests[name]);
      if (n !== undefined) add(name, n);
    }
  }
}

/**
 * What the scheduler reserves for a pod: the sum over its containers, but at least the
 * largest init container's request, because init containers run one at a time before the
 * app containers start.
 */
export function podRequests(spec: PodSpec | undefined): Map<string, number> {
  const total = new Map<string, number>();
  eachRequest(spec?.containers, (name, n) => total.set(name, (total.get(name) ?? 0) + n));
  eachRequest(spec?.initContainers, (name, n) => {
    if (n > (total.get(name) ?? 0)) total.set(name, n);
  });
  return total;
}
