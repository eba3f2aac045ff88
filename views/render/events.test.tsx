import { describe, expect, it } from 'vitest';
import { NOW, events } from '../testing/fixtures.js';
import { eventColumns, eventRow, sortEvents } from './events.js';

describe('events', () => {
  it('sorts warnings first, newest first within each type', () => {
    expect(sortEvents(events).map((e) => `${e.type} ${e.reason} ${e.metadata.name}`)).toEqual([
      'Warning Unhealthy es0.1',
      'Warning Failed op.4',
      'Warning Failed op.1',
      'Warning Failed op.2',
      'Warning FailedScheduling es1.1',
      'Normal BackOff op.3',
      'Normal Started es0.2',
    ]);
  });

  it('renders TYPE, REASON, OBJECT, MESSAGE, COUNT, LAST SEEN; warnings in the warning style', () => {
    const scheduling = events.find((e) => e.reason === 'FailedScheduling');
    expect(scheduling).toBeDefined();
    const row = eventRow(scheduling!, { now: NOW, allNamespaces: false });
    expect(row.cells).toEqual([
      'Warning',
      'FailedScheduling',
      'pod/elasticsearch-master-1',
      "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      '6',
      '5m',
    ]);
    expect(row.style).toBe('warning');
    expect(eventColumns(true).map((c) => c.title)).toEqual([
      'NAMESPACE',
      'TYPE',
      'REASON',
      'OBJECT',
      'MESSAGE',
      'COUNT',
      'LAST SEEN',
    ]);
  });

  it('reads the count and time of events.k8s.io-style events (series, eventTime)', () => {
    const row = eventRow(
      {
        metadata: { name: 'big.18ea2ce8cb587af0', namespace: 'sample' },
        involvedObject: { kind: 'Pod', namespace: 'sample', name: 'big' },
        reason: 'FailedScheduling',
        message:
          "0/102 nodes are available: 1 Insufficient cpu, 101 node(s) didn't match Pod's node affinity/selector.",
        type: 'Warning',
        firstTimestamp: null,
        lastTimestamp: null,
        eventTime: '2026-11-21T21:59:00.816165Z',
        series: { count: 3, lastObservedTime: '2026-11-21T21:59:30.000000Z' },
      },
      { now: NOW, allNamespaces: true },
    );
    expect(row.cells.slice(0, 1).concat(row.cells.slice(-2))).toEqual(['sample', '3', '30s']);
  });
});
