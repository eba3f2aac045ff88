import { describe, expect, it } from 'vitest';
import {
  formatCpu,
  formatMemory,
  formatResource,
  parseQuantity,
  podRequests,
  toQuantity,
} from '../../src/diagnose/quantity.js';
import type { PodSpec } from '../../src/model/k8s.js';

describe('parseQuantity', () => {
  it.each([
    ['100m', 0.1],
    ['2', 2],
    ['64', 64],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['4Gi', 4 * 2 ** 30],
    ['3978040Ki', 3978040 * 1024],
    ['128Mi', 128 * 2 ** 20],
    ['1e3', 1000],
    ['1E3', 1000],
    ['2e-3', 0.002],
    ['512M', 512e6],
    ['1k', 1000],
    ['1E', 1e18],
    ['250u', 0.00025],
    ['+1', 1],
    [' 2 ', 2],
    [3, 3],
  ])('%s → %d', (q, n) => {
    expect(parseQuantity(q)).toBeCloseTo(n, 9);
  });

  it.each(['', 'abc', '1e', '1KiB', '1 Gi', 'Gi', '1.2.3', '--1', null, undefined, {}, NaN, Infinity, '9'.repeat(100)])(
    'rejects %s',
    (q) => {
      expect(parseQuantity(q)).toBeUndefined();
    },
  );
});

describe('formatting', () => {
  it('formats CPU in cores with millicore precision', () => {
    expect(formatCpu(64)).toBe('64');
    expect(formatCpu(1.25)).toBe('1.25');
    expect(formatCpu(0.1)).toBe('0.1');
    expect(formatCpu(0.0004)).toBe('0');
  });

  it('formats memory in the largest binary unit', () => {
    expect(formatMemory(4 * 2 ** 30)).toBe('4Gi');
    expect(formatMemory(3978040 * 1024)).toBe('3.79Gi');
    expect(formatMemory(512e6)).toBe('488.28Mi');
    expect(formatMemory(512)).toBe('512 bytes');
  });

  it('formats by resource name', () => {
    expect(formatResource('cpu', 0.75)).toBe('0.75 CPU');
    expect(formatResource('memory', 2 ** 30)).toBe('1Gi');
    expect(formatResource('ephemeral-storage', 2 ** 31)).toBe('2Gi');
    expect(formatResource('nvidia.com/gpu', 2)).toBe('2');
  });

  it('writes quantities kubectl accepts, rounded down so they still fit', () => {
    expect(toQuantity('cpu', 1.25)).toBe('1250m');
    expect(toQuantity('cpu', 2)).toBe('2');
    expect(toQuantity('cpu', 1.2509)).toBe('1250m');
    expect(toQuantity('memory', 1.5 * 2 ** 30)).toBe('1536Mi');
    expect(toQuantity('pods', 3.7)).toBe('3');
  });
});

describe('podRequests', () => {
  it('sums containers and takes the largest init container when it is bigger', () => {
    const spec: PodSpec = {
      initContainers: [{ name: 'migrate', resources: { requests: { cpu: '2', memory: '64Mi' } } }],
      containers: [
        { name: 'app', resources: { requests: { cpu: '500m', memory: '256Mi' } } },
        { name: 'sidecar', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { name: 'none' },
      ],
    };
    const r = podRequests(spec);
    expect(r.get('cpu')).toBe(2);
    expect(r.get('memory')).toBe(320 * 2 ** 20);
  });

  it('ignores hostile shapes', () => {
    const hostile = {
      containers: [null, { name: 'x', resources: { requests: { cpu: 'lots' } } }],
    } as unknown as PodSpec;
    expect(podRequests(hostile).size).toBe(0);
    expect(podRequests(undefined).size).toBe(0);
    expect(podRequests({ containers: 'no' } as unknown as PodSpec).size).toBe(0);
  });
});
