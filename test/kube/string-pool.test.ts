import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/k8s.js';
import { shareStrings, StringPool } from '../../src/kube/string-pool.js';
import { loadInput } from '../fixtures/pods/load.js';

describe('shareStrings', () => {
  it('changes no value of pods, workloads and events', () => {
    const input = loadInput('crashloop-failures.json');
    const objects: KubeObject[] = [...input.pods!, ...input.replicaSets!, ...input.deployments!, ...input.events!];
    const before = structuredClone(objects);
    const pool = new StringPool();
    for (const o of objects) shareStrings(o, pool);
    expect(objects).toStrictEqual(before);
    expect(pool.size).toBeGreaterThan(0);
  });

  it('pools what objects repeat, not the names, uids and versions that are theirs alone', () => {
    const [backOff] = loadInput('crashloop-failures.json').events!;
    const pool = new StringPool();
    shareStrings(structuredClone(backOff!), pool);
    const afterOne = pool.size;
    // The same event recorded for the pod again: only its own name, uid and resourceVersion differ.
    const again = structuredClone(backOff!);
    again.metadata = {
      ...again.metadata,
      name: `${again.metadata.name}-2`,
      uid: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
      resourceVersion: '48213',
    };
    shareStrings(again, pool);
    expect(pool.size).toBe(afterOne);
  });
});

describe('StringPool', () => {
  it('returns an equal string, and counts each distinct string once', () => {
    const pool = new StringPool();
    const image = 'ghcr.io/acme/shop-api:v2.14.1';
    expect(pool.get(image)).toBe(image);
    expect(pool.get(`ghcr.io/acme/shop-api:${'v2.14.1'}`)).toBe(image);
    expect(pool.size).toBe(1);
  });

  it('leaves short strings alone: V8 already shares those', () => {
    const pool = new StringPool();
    for (const s of ['Running', 'True', 'TCP', 'v1', '']) expect(pool.get(s)).toBe(s);
    expect(pool.size).toBe(0);
  });

  it('forgets strings nobody asks for any more: it never holds more than two generations', () => {
    const pool = new StringPool(100);
    for (let i = 0; i < 1000; i++) pool.get(`pod-${i}.18ea2ce8cb587af0`);
    expect(pool.size).toBeLessThanOrEqual(200);
  });
});
