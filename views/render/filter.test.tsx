import { describe, expect, it } from 'vitest';
import { filterRows, parseFilter, RowTextCache } from './filter.js';

interface Row {
  text: string;
  labels: Record<string, string>;
}

const rows: Row[] = [
  { text: 'jaeger-collector 0/1 CrashLoopBackOff', labels: { app: 'jaeger', component: 'collector' } },
  { text: 'jaeger-query 1/1 Running', labels: { app: 'jaeger', component: 'query' } },
  { text: 'coredns 1/1 Running', labels: { 'k8s-app': 'kube-dns' } },
];
const access = { searchText: (r: Row) => r.text.toLowerCase(), labels: (r: Row) => r.labels };
const names = (q: string) => filterRows(rows, q, access).map((r) => r.text.split(' ')[0]);

describe('the / filter', () => {
  it('matches text anywhere in the row, case-insensitively', () => {
    expect(names('crashloop')).toEqual(['jaeger-collector']);
    expect(names('RUNNING')).toEqual(['jaeger-query', 'coredns']);
  });

  it('inverts with !', () => {
    expect(names('!running')).toEqual(['jaeger-collector']);
  });

  it('filters by labels with -l, = and !=', () => {
    expect(names('-l app=jaeger,component!=query')).toEqual(['jaeger-collector']);
    expect(names('-l k8s-app')).toEqual(['coredns']);
    expect(names('-lapp=jaeger')).toEqual(['jaeger-collector', 'jaeger-query']);
  });

  it('keeps every row (the same array) for an empty query, a bare ! or a bare -l', () => {
    expect(filterRows(rows, '', access)).toBe(rows);
    expect(filterRows(rows, '!', access)).toBe(rows);
    expect(filterRows(rows, '-l ', access)).toBe(rows);
    expect(parseFilter('  ')).toEqual({ kind: 'none' });
  });

  it('matches no row by label when the rows carry no labels', () => {
    expect(filterRows(rows, '-l app=jaeger', { searchText: access.searchText })).toEqual([]);
  });
});

describe('RowTextCache', () => {
  it('renders a row once while it is the same object, again when it changed or aged', () => {
    let now = 0;
    const cache = new RowTextCache(() => now);
    let renders = 0;
    const render = (pod: { name: string }) => (renders++, pod.name);
    const pod = { name: 'Jaeger-Collector' };
    expect(cache.text(pod, render)).toBe('jaeger-collector');
    expect(cache.text(pod, render)).toBe('jaeger-collector');
    expect(renders).toBe(1);
    // An update is a new object (snapshots are immutable).
    expect(cache.text({ ...pod, name: 'jaeger-query' }, render)).toBe('jaeger-query');
    expect(renders).toBe(2);
    // The age column moves on: after a while the same object is rendered again.
    now = 60_000;
    cache.text(pod, render);
    expect(renders).toBe(3);
  });
});
