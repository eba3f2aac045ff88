import { describe, expect, it } from 'vitest';
import { METRICS_RESOLUTION_MS, tablePolling } from '../../src/store/resource-table.js';

describe('how often an unwatchable table is polled', () => {
  it('metrics are read no more often than metrics-server samples them', () => {
    expect(tablePolling({ group: 'metrics.k8s.io' }, 2000)).toEqual({ pollIntervalMs: METRICS_RESOLUTION_MS });
    expect(tablePolling({ group: 'metrics.k8s.io' }, undefined)).toEqual({ pollIntervalMs: METRICS_RESOLUTION_MS });
    expect(tablePolling({ group: 'metrics.k8s.io' }, 60_000)).toEqual({ pollIntervalMs: 60_000 });
  });

  it('other kinds keep the cockpit’s --refresh, or the loop’s default', () => {
    expect(tablePolling({ group: '' }, 2000)).toEqual({ pollIntervalMs: 2000 });
    expect(tablePolling({ group: 'apps' }, undefined)).toEqual({});
  });
});
