// `y` on a pod the store keeps projected (decisions/0020): the YAML is the whole object read
// from the server, never the projection, not even while it is being read.
import { describe, expect, it } from 'vitest';
import type { ApiResourceInfo, KubeObject, Pod } from '../src/model/k8s.js';
import { POD_SHAPE, project } from '../src/store/projection.js';
import type { ResourceSource } from './sources.js';
import { startApp } from './testing/app.js';
import { collectorPod, FixedSource, scenarioSnapshot } from './testing/fixtures.js';
import { press, waitForFrame } from './testing/ink.js';

const PODS: ApiResourceInfo = {
  name: 'pods',
  kind: 'Pod',
  group: '',
  version: 'v1',
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
};

/** The pod as the server holds it: with fields no rule reads, which the store leaves out. */
const whole: Pod = {
  ...collectorPod,
  spec: { ...collectorPod.spec, priorityClassName: 'observability-critical' } as Pod['spec'],
};

describe('YAML of a projected pod', () => {
  it('shows the whole object read from the server, and no projection while it is read', async () => {
    const kept = project(structuredClone(whole), POD_SHAPE);
    expect(JSON.stringify(kept)).not.toContain('observability-critical');
    let answer: (o: KubeObject) => void = () => undefined;
    const asked: string[] = [];
    const resources: ResourceSource = {
      table: () => {
        throw new Error('no table in this test');
      },
      get: (resource, namespace, name) => {
        asked.push(`${resource.name}/${namespace}/${name}`);
        return new Promise((resolve) => (answer = resolve));
      },
    };
    const source = new FixedSource(scenarioSnapshot({ apiResources: [PODS], pods: [kept] }));
    const { app } = await startApp({ source, resources, columns: 120, rows: 40, namespace: 'observability' });
    await waitForFrame(app, (f) => f.includes('x2x7k'));
    await press(app, 'y');
    const reading = await waitForFrame(app, (f) => f.includes(`Reading Pod ${whole.metadata.name}`));
    expect(reading).not.toContain('apiVersion: v1');
    expect(asked).toEqual([`pods/observability/${whole.metadata.name}`]);
    answer(whole);
    await waitForFrame(app, (f) => f.includes('priorityClassName: observability-critical'));
  });
});
