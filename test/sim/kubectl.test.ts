// The unchanged kubectl binary against the simulator, through the kubeconfig it writes.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { call, startScenario } from './helpers.js';
import { kubectlFor } from './kubectl-runner.js';

let srv: SimServer;
const kubectl = kubectlFor(() => srv);

beforeAll(async () => {
  srv = await startScenario('s1-jaeger');
});
afterAll(async () => {
  await srv.close();
  kubectl.dispose();
});

describe('kubectl against the simulator', () => {
  it('get pods -A prints every pod with the status kubectl computes', async () => {
    const { stdout, stderr, code } = await kubectl('get', 'pods', '-A');
    expect(code, stderr).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines).toHaveLength(14);
    expect(stdout).toMatch(/observability\s+jaeger-op-jaeger-operator-7d7b58d48b-89p9p\s+0\/1\s+ImagePullBackOff/);
    expect(stdout).toMatch(
      /observability\s+jaeger-collector-6b8f9d7c5f-2xk4q\s+0\/1\s+CrashLoopBackOff\s+212 \(4m\d+s ago\)/,
    );
    expect(stdout).toMatch(/observability\s+elasticsearch-master-2\s+0\/1\s+Pending/);
    expect(stderr).toBe('');
  });

  it('get pods -n observability -o json gives the objects', async () => {
    const { stdout, code } = await kubectl('get', 'pods', '-n', 'observability', '-o', 'json');
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as { kind: string; items: { kind: string; metadata: { name: string } }[] };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(6);
    expect(list.items.every((i) => i.kind === 'Pod')).toBe(true);
  });

  it('describe pod shows the pull-limit events kubectl finds by field selector', async () => {
    const { stdout, code } = await kubectl('describe', 'pod', 'jaeger-op-jaeger-operator-7d7b58d48b-89p9p');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Name:\s+jaeger-op-jaeger-operator-7d7b58d48b-89p9p$/m);
    expect(stdout).toMatch(/^Namespace:\s+observability$/m);
    expect(stdout).toMatch(
      /Warning\s+Failed\s+\S+ \(x25 over 12\dm\)\s+kubelet\s+Failed to pull image "jaegertracing\/jaeger-operator:1\.39\.0": rpc error: code = Unknown desc = toomanyrequests/,
    );
    expect(stdout).toMatch(/Warning\s+Failed\s+\S+ \(x538 over 12\dm\)\s+kubelet\s+Error: ImagePullBackOff/);
  });

  it('get events lists the scheduler and kubelet events', async () => {
    const { stdout, code } = await kubectl('get', 'events');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(stdout).toMatch(
      /Warning\s+FailedScheduling\s+pod\/elasticsearch-master-1\s+0\/1 nodes are available: 1 node\(s\) didn't match pod anti-affinity rules\./,
    );
  });

  it('get secrets shows the Helm release Secrets', async () => {
    const { stdout, code } = await kubectl('get', 'secrets');
    expect(code).toBe(0);
    expect(stdout).toMatch(/sh\.helm\.release\.v1\.jaeger-op\.v1\s+helm\.sh\/release\.v1\s+1\s/);
  });

  it('get pods -w prints changes as they happen', async () => {
    const child = spawn(
      kubectl.path(),
      kubectl.args(['get', 'pods', '-w', '-l', 'app.kubernetes.io/name=jaeger-operator']),
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const waitFor = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kubectl -w never printed ${re}; got:\n${out}`)), 10_000);
        const check = () => (re.test(out) ? (clearTimeout(timer), resolve()) : setTimeout(check, 50));
        check();
      });
    try {
      await waitFor(/jaeger-op-jaeger-operator-7d7b58d48b-89p9p\s+0\/1\s+ImagePullBackOff/);
      await call(srv, '/api/v1/namespaces/observability/pods/jaeger-op-jaeger-operator-7d7b58d48b-89p9p', {
        method: 'DELETE',
      });
      await waitFor(/jaeger-op-jaeger-operator-7d7b58d48b-89p9p\s+0\/1\s+Terminating/);
      await waitFor(/jaeger-op-jaeger-operator-7d7b58d48b-(?!89p9p)\w{5}\s+0\/1\s+ImagePullBackOff/);
      expect(out.match(/^NAME\s+READY/gm)).toHaveLength(1);
    } finally {
      child.kill();
    }
  });

  it('the read-only and expired contexts fail the way a real cluster makes them fail', async () => {
    const viewer = await kubectl('--context', 'sim-viewer', 'get', 'pods', '-A');
    expect(viewer.code).not.toBe(0);
    expect(viewer.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope',
    );
    const expired = await kubectl('--context', 'sim-expired', 'get', 'pods');
    expect(expired.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });

  it('logs: the previous container of a crash loop, and the BadRequest when there is none', async () => {
    const { stdout, code } = await kubectl(
      'logs',
      'jaeger-query-5c9b7d8f4d-7mhtn',
      '-c',
      'jaeger-query',
      '--previous',
      '--tail=1',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('no Elasticsearch node available');
    const es = await kubectl('logs', 'elasticsearch-master-0', '--previous');
    expect(es.stderr).toContain(
      'Error from server (BadRequest): previous terminated container "elasticsearch" in pod "elasticsearch-master-0" not found',
    );
  });

  it('the S1 pull-secret fix typed as kubectl commands (protobuf create, strategic patch, rollout restart) makes the operator Ready', async () => {
    const created = await kubectl(
      'create',
      'secret',
      'docker-registry',
      'regcred',
      '--docker-server=https://index.docker.io/v1/',
      '--docker-username=U',
      '--docker-password=P',
      '-n',
      'observability',
    );
    expect(created.stdout.trim(), created.stderr).toBe('secret/regcred created');
    const patched = await kubectl(
      'patch',
      'serviceaccount',
      'jaeger-op-jaeger-operator',
      '-n',
      'observability',
      '-p',
      '{"imagePullSecrets":[{"name":"regcred"}]}',
    );
    expect(patched.code, patched.stderr).toBe(0);
    const restarted = await kubectl(
      'rollout',
      'restart',
      'deployment/jaeger-op-jaeger-operator',
      '-n',
      'observability',
    );
    expect(restarted.code, restarted.stderr).toBe(0);
    await srv.settle();
    const { stdout } = await kubectl(
      'get',
      'pods',
      '-n',
      'observability',
      '-l',
      'app.kubernetes.io/name=jaeger-operator',
    );
    expect(stdout.trimEnd().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^jaeger-op-jaeger-operator-\w+-\w{5}\s+1\/1\s+Running\s+0\s/),
    ]);
  });
});
