import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSchedulerMessage, type ScheduleReason } from '../../src/diagnose/scheduler-message.js';
import type { KubeEvent, Pod } from '../../src/model/k8s.js';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/scheduling/${name}`, import.meta.url), 'utf8')) as T;

type Expected = Partial<ScheduleReason> & Pick<ScheduleReason, 'count' | 'kind'>;

const cases: { message: string; available: number; total: number; reasons: Expected[]; preemption?: string }[] = [
  {
    message: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
    available: 0,
    total: 1,
    reasons: [{ count: 1, kind: 'pod-anti-affinity', reason: "node(s) didn't match pod anti-affinity rules" }],
  },
  {
    message:
      "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    available: 0,
    total: 1,
    reasons: [{ count: 1, kind: 'pod-anti-affinity' }],
    preemption: '0/1 nodes are available: 1 No preemption victims found for incoming pod',
  },
  {
    message: "0/102 nodes are available: 1 Insufficient cpu, 101 node(s) didn't match Pod's node affinity/selector.",
    available: 0,
    total: 102,
    reasons: [
      { count: 1, kind: 'insufficient-cpu', resource: 'cpu', reason: 'Insufficient cpu' },
      { count: 101, kind: 'node-affinity', reason: "node(s) didn't match Pod's node affinity/selector" },
    ],
  },
  {
    message: '0/3 nodes are available: 3 Insufficient cpu.',
    available: 0,
    total: 3,
    reasons: [{ count: 3, kind: 'insufficient-cpu', resource: 'cpu' }],
  },
  {
    message:
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    available: 0,
    total: 3,
    reasons: [
      { count: 1, kind: 'taint', taint: { key: 'node-role.kubernetes.io/control-plane' } },
      { count: 2, kind: 'insufficient-memory', resource: 'memory' },
    ],
    preemption:
      '0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod',
  },
  {
    message:
      '0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/master: }, 1 node(s) had untolerated taint {node: node01}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    available: 0,
    total: 2,
    reasons: [
      { count: 1, kind: 'taint', taint: { key: 'node-role.kubernetes.io/master' } },
      { count: 1, kind: 'taint', taint: { key: 'node', value: 'node01' } },
    ],
  },
  {
    message:
      "0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 node(s) didn't match node selector.",
    available: 0,
    total: 3,
    reasons: [
      {
        count: 1,
        kind: 'taint',
        taint: { key: 'node-role.kubernetes.io/master' },
        reason: "node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate",
      },
      { count: 2, kind: 'node-affinity' },
    ],
  },
  {
    message:
      "0/3 nodes are available: 1 Insufficient example.com/gpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s). preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    available: 0,
    total: 3,
    reasons: [
      { count: 1, kind: 'insufficient-resource', resource: 'example.com/gpu' },
      { count: 1, kind: 'node-affinity' },
      { count: 1, kind: 'taint' },
    ],
  },
  {
    message:
      '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    available: 0,
    total: 1,
    reasons: [{ count: 1, kind: 'unbound-pvc', reason: 'pod has unbound immediate PersistentVolumeClaims' }],
  },
  {
    message: '0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims.',
    available: 0,
    total: 1,
    reasons: [{ count: 1, kind: 'unbound-pvc' }],
  },
  {
    message:
      '0/3 nodes are available: persistentvolumeclaim "data-web-0" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    available: 0,
    total: 3,
    reasons: [{ count: 3, kind: 'unbound-pvc', claim: 'data-web-0' }],
  },
  {
    message: '0/3 nodes are available: 3 node(s) were unschedulable.',
    available: 0,
    total: 3,
    reasons: [{ count: 3, kind: 'unschedulable-node' }],
  },
  {
    message: '0/2 nodes are available: 2 Too many pods.',
    available: 0,
    total: 2,
    reasons: [{ count: 2, kind: 'too-many-pods' }],
  },
  {
    message:
      "0/4 nodes are available: 1 node(s) didn't match pod affinity rules, 3 node(s) had volume node affinity conflict.",
    available: 0,
    total: 4,
    reasons: [
      { count: 1, kind: 'pod-affinity' },
      { count: 3, kind: 'volume-node-affinity' },
    ],
  },
  {
    message: "0/3 nodes are available: 3 node(s) didn't satisfy existing pods anti-affinity rules.",
    available: 0,
    total: 3,
    reasons: [{ count: 3, kind: 'pod-anti-affinity' }],
  },
  {
    message: "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports.",
    available: 0,
    total: 2,
    reasons: [{ count: 2, kind: 'other', reason: "node(s) didn't have free ports for the requested pod ports" }],
  },
  {
    message: 'No nodes are available that match all of the predicates: Insufficient cpu (2), MatchNodeSelector (1).',
    available: 0,
    total: 0,
    reasons: [
      { count: 2, kind: 'insufficient-cpu' },
      { count: 1, kind: 'node-affinity' },
    ],
  },
];

describe('parseSchedulerMessage', () => {
  it.each(cases)('$message', ({ message, available, total, reasons, preemption }) => {
    const parsed = parseSchedulerMessage(message);
    expect(parsed.available).toBe(available);
    expect(parsed.total).toBe(total);
    expect(parsed.reasons).toHaveLength(reasons.length);
    reasons.forEach((r, i) => expect(parsed.reasons[i]).toMatchObject(r));
    if (preemption) expect(parsed.preemption).toBe(preemption);
  });

  it('keeps a named taint value and leaves an empty one out', () => {
    const [withValue, empty] = parseSchedulerMessage(
      '0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.',
    ).reasons;
    expect(withValue?.taint).toEqual({ key: 'dedicated', value: 'gpu' });
    expect(empty?.taint).toEqual({ key: 'node-role.kubernetes.io/control-plane' });
  });

  it('recognises a cluster without nodes', () => {
    expect(parseSchedulerMessage('no nodes available to schedule pods')).toEqual({
      available: 0,
      total: 0,
      reasons: [],
      noNodes: true,
    });
  });

  it('parses the messages the real scheduler wrote into the api-samples', () => {
    const cpu = fixture<Pod>('pod-unschedulable-insufficient-cpu.json');
    const anti = fixture<Pod>('pod-unschedulable-antiaffinity.json');
    const events = fixture<{ items: KubeEvent[] }>('events-core-v1-list.json').items.filter(
      (e) => e.reason === 'FailedScheduling',
    );
    const cond = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message;

    expect(parseSchedulerMessage(cond(cpu)).reasons.map((r) => [r.count, r.kind])).toEqual([
      [1, 'insufficient-cpu'],
      [101, 'node-affinity'],
    ]);
    expect(parseSchedulerMessage(cond(anti)).reasons.map((r) => [r.count, r.kind])).toEqual([
      [1, 'pod-anti-affinity'],
      [101, 'node-affinity'],
    ]);
    expect(events).toHaveLength(2);
    for (const e of events) expect(parseSchedulerMessage(e.message).total).toBe(102);
  });

  it('turns text without the usual header into one reason instead of failing', () => {
    const parsed = parseSchedulerMessage(
      'running "VolumeBinding" filter plugin for pod "web-0": pod has unbound immediate PersistentVolumeClaims',
    );
    expect(parsed.total).toBe(0);
    expect(parsed.reasons).toMatchObject([{ kind: 'unbound-pvc', count: 0 }]);
    expect(parseSchedulerMessage('something else entirely').reasons).toMatchObject([
      { kind: 'other', reason: 'something else entirely' },
    ]);
  });

  it('never throws on hostile input and stays fast on huge strings', () => {
    for (const bad of [
      undefined,
      null,
      42,
      {},
      [],
      '',
      '   ',
      '0/',
      '0/x nodes are available',
      ',,,',
      '{{{{',
      'preemption:',
    ]) {
      expect(() => parseSchedulerMessage(bad)).not.toThrow();
    }
    const huge = [
      '0/1 nodes are available: ' + '1 Insufficient cpu, '.repeat(100_000),
      ' '.repeat(200_000) + 'x',
      '.'.repeat(200_000) + 'x',
      '('.repeat(100_000),
      'had taint '.repeat(50_000),
    ];
    const started = performance.now();
    for (const text of huge) {
      const parsed = parseSchedulerMessage(text);
      expect(Array.isArray(parsed.reasons)).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
