import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/k8s.js';
import { NOW, collectorPod, corednsPod, operatorPod, pods } from '../testing/fixtures.js';
import { podColumns, podRow, podStyle, podSummary } from './pods.js';
import { cellText } from './row.js';

const pendingPod = pods.find((p) => p.metadata.name === 'elasticsearch-master-1') as Pod;

function withStatus(status: Pod['status'], extra: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    ...corednsPod,
    metadata: { ...corednsPod.metadata, ...meta },
    spec: { ...corednsPod.spec, ...extra },
    status,
  };
}

describe('podSummary (kubectl get pods STATUS, READY, RESTARTS)', () => {
  it('shows the waiting reason of a container that cannot start', () => {
    expect(podSummary(operatorPod)).toMatchObject({ ready: 0, total: 1, status: 'ImagePullBackOff', restarts: 0 });
    expect(podSummary(collectorPod)).toMatchObject({
      status: 'CrashLoopBackOff',
      restarts: 412,
      lastRestartAt: '2026-11-21T21:55:00Z',
    });
  });

  it('shows the phase of an unscheduled pod and ready containers of a healthy one', () => {
    expect(podSummary(pendingPod)).toMatchObject({ ready: 0, total: 1, status: 'Pending' });
    expect(podSummary(corednsPod)).toMatchObject({ ready: 1, total: 1, status: 'Running' });
  });

  it('reports init containers as Init:x/y or Init:<reason>', () => {
    const init = { initContainers: [{ name: 'wait-es' }, { name: 'migrate' }] };
    const running = withStatus(
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'wait-es', ready: false, restartCount: 0, state: { running: {} } }],
      },
      init,
    );
    expect(podSummary(running).status).toBe('Init:0/2');
    const pulling = withStatus(
      {
        phase: 'Pending',
        initContainerStatuses: [
          {
            name: 'wait-es',
            ready: true,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
          { name: 'migrate', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
        ],
      },
      init,
    );
    expect(podSummary(pulling).status).toBe('Init:ImagePullBackOff');
    const failed = withStatus(
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'wait-es', ready: false, restartCount: 3, state: { terminated: { exitCode: 1 } } },
        ],
      },
      init,
    );
    expect(podSummary(failed)).toMatchObject({ status: 'Init:ExitCode:1', restarts: 3 });
  });

  it('shows Completed for a finished job pod and Signal:n for a container killed without a reason', () => {
    const done = withStatus({
      phase: 'Succeeded',
      containerStatuses: [
        { name: 'coredns', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
    });
    expect(podSummary(done).status).toBe('Completed');
    const killed = withStatus({
      phase: 'Running',
      containerStatuses: [
        { name: 'coredns', ready: false, restartCount: 1, state: { terminated: { exitCode: 137, signal: 9 } } },
      ],
    });
    expect(podSummary(killed).status).toBe('Signal:9');
  });

  it('shows Terminating for a pod being deleted', () => {
    expect(
      podSummary({ ...corednsPod, metadata: { ...corednsPod.metadata, deletionTimestamp: '2026-11-21T21:59:00Z' } })
        .status,
    ).toBe('Terminating');
  });
});

describe('podStyle', () => {
  it('colours failures critical, progress warning, finished pods dim and healthy pods not at all', () => {
    expect(podStyle(podSummary(operatorPod))).toBe('critical');
    expect(podStyle(podSummary(collectorPod))).toBe('critical');
    expect(podStyle(podSummary(pendingPod))).toBe('warning');
    expect(podStyle({ ready: 0, total: 1, status: 'Init:ExitCode:1', restarts: 0 })).toBe('critical');
    expect(podStyle({ ready: 0, total: 1, status: 'Completed', restarts: 0 })).toBe('dim');
    expect(podStyle(podSummary(corednsPod))).toBeUndefined();
  });
});

describe('podRow', () => {
  it('renders the kubectl columns with a severity marker and "(5m ago)" restarts', () => {
    const row = podRow(collectorPod, { now: NOW, allNamespaces: false, severity: 'warning' });
    expect(row.cells.map(cellText)).toEqual([
      '▲',
      'jaeger-collector-6b7f9c8d5-x2x7k',
      '0/1',
      'CrashLoopBackOff',
      '412 (5m ago)',
      '2d',
      '10.244.0.17',
      'minikube',
    ]);
    expect(row.cells[0]).toEqual({ text: '▲', style: 'warning' });
    expect(row.style).toBe('critical');
    expect(podColumns(false).map((c) => c.title)).toEqual([
      '',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
    ]);
  });

  it('adds the NAMESPACE column for all namespaces, and <none> for an unscheduled pod', () => {
    const row = podRow(pendingPod, { now: NOW, allNamespaces: true });
    expect(row.cells.map(cellText)).toEqual([
      '',
      'observability',
      'elasticsearch-master-1',
      '0/1',
      'Pending',
      '0',
      '27m',
      '<none>',
      '<none>',
    ]);
    expect(podColumns(true)[1]?.title).toBe('NAMESPACE');
  });
});
