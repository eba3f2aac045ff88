import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod, Workload } from '../../src/model/k8s.js';
import { Snapshot } from '../../src/store/snapshot.js';
import { loadInput } from '../fixtures/pods/load.js';

const NS = 'shop';

describe('Snapshot indexes across versions', () => {
  it('takes over the indexes of lists passed again as the same array, and rebuilds the others', () => {
    const input = loadInput('crashloop-failures.json');
    const first = new Snapshot({ ...input, version: 1 });
    const events = first.eventsFor('Pod', NS, 'api-fqfz2psw96-z2dwx');
    const inShop = first.podsIn(NS);
    expect(events.map((e) => e.reason)).toContain('BackOff');
    expect(inShop.length).toBeGreaterThan(0);

    // Only the pods changed (a pod update): the live store hands over a new pod array.
    const pods = input.pods!.map((p) =>
      p.metadata.name === 'api-fqfz2psw96-z2dwx' ? { ...p, status: { ...p.status, phase: 'Failed' } } : p,
    );
    const second = new Snapshot({ ...input, pods, version: 2, previous: first });

    expect(second.eventsFor('Pod', NS, 'api-fqfz2psw96-z2dwx')).toBe(events);
    expect(second.podsIn(NS)).not.toBe(inShop);
    expect(second.podsIn(NS).find((p) => p.metadata.name === 'api-fqfz2psw96-z2dwx')?.status?.phase).toBe('Failed');
    expect(first.podsIn(NS).find((p) => p.metadata.name === 'api-fqfz2psw96-z2dwx')?.status?.phase).toBe('Running');
  });

  it('sees a new event in a new events array even when built from the previous snapshot', () => {
    const input = loadInput('crashloop-failures.json');
    const first = new Snapshot(input);
    expect(first.eventsFor('Pod', NS, 'api-fqfz2psw96-z2dwx')).toHaveLength(1);
    const backOff = first.eventsFor('Pod', NS, 'api-fqfz2psw96-z2dwx')[0]!;
    const again: KubeEvent = {
      ...backOff,
      metadata: { ...backOff.metadata, name: `${backOff.metadata.name}x`, uid: 'b1e0f3c2-5d8a-4f7e-9c1b-2a3d4e5f6a7b' },
      reason: 'Killing',
      message: 'Stopping container api',
      lastTimestamp: '2026-11-21T10:29:40Z',
    };
    const second = new Snapshot({ ...input, events: [...input.events!, again], previous: first });
    expect(second.eventsFor('Pod', NS, 'api-fqfz2psw96-z2dwx').map((e) => e.reason)).toEqual(['BackOff', 'Killing']);
    expect(first.eventsFor('Pod', NS, 'api-fqfz2psw96-z2dwx').map((e) => e.reason)).toEqual(['BackOff']);
  });

  it('resolves owners through unchanged lists after the pods changed', () => {
    const input = loadInput('crashloop-failures.json');
    const first = new Snapshot(input);
    const pod = first.get<Pod>('Pod', NS, 'api-fqfz2psw96-z2dwx')!;
    expect(first.ownerChain(pod).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ReplicaSet/api-fqfz2psw96',
      'Deployment/api',
    ]);

    const moved = { ...pod, metadata: { ...pod.metadata, resourceVersion: `${pod.metadata.resourceVersion}1` } };
    const pods = input.pods!.map((p) => (p === pod ? moved : p));
    const second = new Snapshot({ ...input, pods, previous: first });
    expect(second.get('Pod', NS, 'api-fqfz2psw96-z2dwx')).toBe(moved);
    expect(second.topOwner(moved).metadata.name).toBe('api');
    const rs = second.get<Workload>('ReplicaSet', NS, 'api-fqfz2psw96')!;
    expect(second.childrenOf(rs)).toContain(moved);
    expect(second.childrenOf(rs)).not.toContain(pod);
  });
});

describe('Snapshot owners', () => {
  it('finds a ReplicaSet’s pods and a Deployment’s ReplicaSets', () => {
    const snap = new Snapshot(loadInput('crashloop-failures.json'));
    const rs = snap.get<Workload>('ReplicaSet', NS, 'api-fqfz2psw96')!;
    expect(
      snap
        .childrenOf(rs)
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['api-fqfz2psw96-9n2xp', 'api-fqfz2psw96-z2dwx']);
    const deploy = snap.get<Workload>('Deployment', NS, 'api')!;
    expect(snap.childrenOf(deploy).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ReplicaSet/api-fqfz2psw96']);
  });

  it('does not resolve an owner reference whose kind is wrong, as the garbage collector would not', () => {
    const input = loadInput('crashloop-failures.json');
    const pod = input.pods!.find((p) => p.metadata.name === 'api-fqfz2psw96-z2dwx')!;
    const ref = pod.metadata.ownerReferences![0]!;
    pod.metadata.ownerReferences = [{ ...ref, kind: 'StatefulSet', name: 'no-such-statefulset' }];
    const snap = new Snapshot(input);
    expect(snap.ownerChain(pod)).toEqual([]);
  });
});
