import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { call, startScenario, stream } from './helpers.js';

let srv: SimServer;
beforeAll(async () => {
  srv = await startScenario('s1-jaeger');
});
afterAll(() => srv.close());

const LOG = (pod: string, query = '') => `/api/v1/namespaces/observability/pods/${pod}/log${query}`;
const QUERY_POD = 'jaeger-query-5c9b7d8f4d-7mhtn';
const COLLECTOR = 'jaeger-collector-6b8f9d7c5f-2xk4q';

describe('pod logs', () => {
  it('asks for a container name when the pod has several, with the real 400 message', async () => {
    const res = await call(srv, LOG(QUERY_POD));
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `a container name must be specified for pod ${QUERY_POD}, choose one of: [jaeger-query jaeger-agent-sidecar]`,
      reason: 'BadRequest',
      code: 400,
    });
    expect((await call(srv, LOG(QUERY_POD, '?container=nope'))).json()['message']).toBe(
      `container nope is not valid for pod ${QUERY_POD}`,
    );
  });

  it('has no previous log for a container that never terminated', async () => {
    const res = await call(srv, LOG('elasticsearch-master-0', '?previous=true'));
    expect(res.status).toBe(400);
    expect(res.json()['message']).toBe(
      'previous terminated container "elasticsearch" in pod "elasticsearch-master-0" not found',
    );
  });

  it('explains why a container waiting on its image has no log', async () => {
    const res = await call(srv, LOG('jaeger-op-jaeger-operator-7d7b58d48b-89p9p'));
    expect(res.json()['message']).toBe(
      'container "jaeger-operator" in pod "jaeger-op-jaeger-operator-7d7b58d48b-89p9p" is waiting to start: trying and failing to pull image',
    );
  });

  it('serves the previous container’s log of a crash-looping pod, ending with the storage error', async () => {
    const res = await call(srv, LOG(COLLECTOR, '?previous=true'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    const lines = res.text.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toContain('connect: connection refused: no Elasticsearch node available');
    expect(JSON.parse(lines.at(-1) as string).ts).toBeCloseTo(Date.now() / 1000 - 241, -1);
    // Without previous, a container in CrashLoopBackOff shows its last run too (the kubelet's rule).
    expect((await call(srv, LOG(COLLECTOR))).text).toBe(res.text);
  });

  it('honours tailLines, limitBytes and timestamps', async () => {
    const tail = (await call(srv, LOG(COLLECTOR, '?previous=true&tailLines=2'))).text.trimEnd().split('\n');
    expect(tail).toHaveLength(2);
    expect(tail[1]).toContain('"level":"fatal"');
    expect((await call(srv, LOG(COLLECTOR, '?previous=true&limitBytes=10'))).text).toHaveLength(10);
    const stamped = (await call(srv, LOG(COLLECTOR, '?previous=true&tailLines=1&timestamps=true'))).text;
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \{"level":"fatal"/);
  });

  it('follow keeps the stream open and delivers lines appended later, until the pod goes', async () => {
    const s = await stream(srv, LOG('elasticsearch-master-0', '?follow=true&tailLines=1'));
    await s.waitFor(1);
    srv.state.logs.append('observability', 'elasticsearch-master-0', 'elasticsearch', 'one more line');
    expect((await s.waitFor(2))[1]).toBe('one more line');
    srv.state.delete('Pod', 'observability', 'elasticsearch-master-0');
    await s.ended;
  });

  it('a pod no node has taken answers an empty 200', async () => {
    const res = await call(srv, LOG('elasticsearch-master-1'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });
});
