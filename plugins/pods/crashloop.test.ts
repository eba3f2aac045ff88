import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/k8s.js';
import type { FixStep, RawFinding } from '../../src/diagnose/types.js';
import { runRules } from '../../src/diagnose/engine.js';
import { rule as antiAffinityRule } from '../workloads/anti-affinity-replicas.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { NOW, loadInput, onlyFinding, snapshotOf } from '../../test/fixtures/pods/load.js';
import { rule } from './crashloop.js';
import { exitCodeMeaning } from './lib/exit-codes.js';

const S1 = 's1-jaeger-crashloop.json';
const SHOP = 'crashloop-failures.json';

function run(snapshot: Snapshot): RawFinding[] {
  return rule.diagnose({ snapshot, now: NOW });
}

function podNamed(input: SnapshotInput, prefix: string): Pod {
  return input.pods!.find((p) => p.metadata.name.startsWith(prefix))!;
}

function allSteps(f: RawFinding): FixStep[] {
  return f.fixes.flatMap((p) => p.steps);
}

describe('pods/crashloop — S1 collector and query wait for Elasticsearch', () => {
  const findings = run(snapshotOf(S1));
  const collector = onlyFinding(findings, 'jaeger-collector');

  it('finds the two crash-looping Jaeger components and nothing else', () => {
    expect(findings.map((f) => f.id).sort()).toEqual([
      'pods/crashloop:observability/Deployment/jaeger-collector#jaeger-collector/dependency',
      'pods/crashloop:observability/Deployment/jaeger-query#jaeger-query/dependency',
    ]);
  });

  it('is a symptom: warning severity, depending on the Service and the StatefulSet behind it', () => {
    expect(collector.severity).toBe('warning');
    expect(collector.title).toBe('jaeger-collector keeps crashing: it cannot reach elasticsearch-master:9200');
    expect(collector.dependsOn).toEqual([
      { kind: 'Service', name: 'elasticsearch-master', namespace: 'observability' },
      { kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' },
    ]);
    expect(collector.objects).toEqual([
      { kind: 'Deployment', name: 'jaeger-collector', namespace: 'observability' },
      { kind: 'Pod', name: 'jaeger-collector-9kxf5kcmnd-4kq2x', namespace: 'observability' },
    ]);
  });

  it('explains CrashLoopBackOff and names the dependency in plain words', () => {
    expect(collector.explanation).toContain('CrashLoopBackOff means Kubernetes now waits longer before each restart');
    expect(collector.explanation).toContain('187 restarts so far');
    expect(collector.explanation).toContain('no Elasticsearch node available');
    expect(collector.explanation).toContain('which has 0 of 3 pods ready');
    expect(collector.explanation).toContain('a symptom, not the cause. Fix elasticsearch-master first');
  });

  it('shows the waiting message, the last termination, restarts, the log and the Service state', () => {
    const pod = 'jaeger-collector-9kxf5kcmnd-4kq2x';
    const input = loadInput(S1);
    const uid = podNamed(input, pod).metadata.uid;
    expect(collector.evidence).toContainEqual(
      expect.objectContaining({
        path: 'status.containerStatuses[0].state.waiting.message',
        text: `back-off 5m0s restarting failed container=jaeger-collector pod=${pod}_observability(${uid})`,
      }),
    );
    expect(collector.evidence).toContainEqual(
      expect.objectContaining({
        path: 'status.containerStatuses[0].lastState.terminated',
        text: 'exitCode 1, reason Error, finishedAt 2026-11-21T10:24:37Z',
      }),
    );
    expect(collector.evidence).toContainEqual(
      expect.objectContaining({ path: 'status.containerStatuses[0].restartCount', text: '187' }),
    );
    const logs = collector.evidence.filter((e) => e.source === 'log');
    expect(logs).toHaveLength(5);
    expect(logs.every((e) => e.path === 'log?container=jaeger-collector&previous=true' && e.ref?.name === pod)).toBe(
      true,
    );
    // The line that names the dependency leads the evidence (output that shows one line shows it).
    expect(collector.evidence[0]).toBe(logs[0]);
    expect(logs[0]!.text).toContain(
      'dial tcp 10.106.14.21:9200: connect: connection refused: no Elasticsearch node available',
    );
    expect(collector.evidence).toContainEqual({
      source: 'status',
      ref: { kind: 'Service', name: 'elasticsearch-master', namespace: 'observability' },
      text: 'selects 3 pods, 0 ready',
    });
    expect(collector.evidence).toContainEqual(
      expect.objectContaining({ source: 'event', reason: 'BackOff', count: 871 }),
    );
  });

  it('offers no restart, only "fix the dependency first" and how to watch it', () => {
    expect(collector.fixes).toHaveLength(1);
    expect(collector.fixes[0]).toMatchObject({
      id: 'fix-dependency-first',
      mutates: false,
      title: 'Fix elasticsearch-master first; jaeger-collector recovers by itself',
    });
    expect(allSteps(collector).every((s) => s.action === 'manual')).toBe(true);
    expect(collector.fixes[0]!.commands).toEqual([
      'kubectl get pods -n observability -l app=elasticsearch-master,chart=elasticsearch,release=jaeger -w',
    ]);
  });

  it('is linked by the engine under the finding about the Elasticsearch StatefulSet', () => {
    const { findings: linked } = runRules([antiAffinityRule, rule], snapshotOf(S1), { now: NOW });
    const cause = 'workloads/anti-affinity-replicas:observability/StatefulSet/elasticsearch-master';
    expect(linked[0]!.id).toBe(cause);
    for (const f of linked.slice(1)) expect(f.causedBy).toEqual([cause]);
  });

  it('becomes critical, and points at the client, once the dependency is healthy', () => {
    const snapshot = snapshotOf(S1, (input) => {
      for (const p of input.pods!.filter((x) => x.metadata.name.startsWith('elasticsearch-master-'))) {
        p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
      }
    });
    const f = onlyFinding(run(snapshot), 'jaeger-collector');
    expect(f.severity).toBe('critical');
    expect(f.explanation).toContain('whose 3 pods are all ready now');
    expect(f.fixes[0]!.id).toBe('check-dependency-address');
  });

  it('without logs, still links the crash to Elasticsearch through ES_SERVER_URLS, and says so', () => {
    const noLogs = snapshotOf(S1, (input) => {
      input.logs = [];
    });
    const f = onlyFinding(run(noLogs), 'jaeger-collector');
    expect(f.id).toMatch(/#jaeger-collector\/dependency$/);
    expect(f.severity).toBe('warning');
    expect(f.dependsOn).toEqual([
      { kind: 'Service', name: 'elasticsearch-master', namespace: 'observability' },
      { kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' },
    ]);
    expect(f.explanation).toContain(
      'No log lines were available, but its configuration names elasticsearch-master:9200 (spec.containers[0].env[1]: "ES_SERVER_URLS=http://elasticsearch-master:9200")',
    );
    expect(f.evidence[0]).toEqual({
      source: 'spec',
      ref: { kind: 'Pod', name: 'jaeger-collector-9kxf5kcmnd-4kq2x', namespace: 'observability' },
      path: 'spec.containers[0].env[1]',
      text: 'ES_SERVER_URLS=http://elasticsearch-master:9200',
    });
    expect(f.evidence.some((e) => e.source === 'log')).toBe(false);
    const { findings: linked } = runRules([antiAffinityRule, rule], noLogs, { now: NOW });
    const cause = 'workloads/anti-affinity-replicas:observability/StatefulSet/elasticsearch-master';
    expect(linked[0]!.id).toBe(cause);
    expect(linked.map((x) => x.id).sort()).toEqual([
      'pods/crashloop:observability/Deployment/jaeger-collector#jaeger-collector/dependency',
      'pods/crashloop:observability/Deployment/jaeger-query#jaeger-query/dependency',
      cause,
    ]);
    for (const x of linked.slice(1)) expect(x.causedBy).toEqual([cause]);
  });

  it('without logs, names the closest Service when the configured one does not exist', () => {
    const snapshot = snapshotOf(S1, (input) => {
      input.logs = [];
      for (const p of input.pods!)
        for (const c of p.spec.containers)
          for (const e of c.env ?? []) if (e.name === 'ES_SERVER_URLS') e.value = 'http://elasticsearch-mastr:9200';
    });
    const f = onlyFinding(run(snapshot), 'jaeger-collector');
    expect(f.id).toMatch(/#jaeger-collector\/dependency$/);
    expect(f.severity).toBe('critical');
    expect(f.dependsOn).toBeUndefined();
    expect(f.explanation).toContain('There is no Service named elasticsearch-mastr in namespace observability');
    expect(f.explanation).toContain('Did you mean elasticsearch-master?');
    expect(f.fixes[0]!.steps[0]!.description).toContain('did you mean Service elasticsearch-master?');
  });

  it('without logs, does not blame a healthy Service the configuration names', () => {
    const snapshot = snapshotOf(S1, (input) => {
      input.logs = [];
      for (const p of input.pods!.filter((x) => x.metadata.name.startsWith('elasticsearch-master-')))
        p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    });
    expect(onlyFinding(run(snapshot), 'jaeger-collector').id).toMatch(/#jaeger-collector\/exit-code$/);
  });

  it('falls back to the exit code when neither the log nor the configuration names a dependency', () => {
    const snapshot = snapshotOf(S1, (input) => {
      input.logs = [];
      for (const p of input.pods!) for (const c of p.spec.containers) delete c.env;
    });
    const f = onlyFinding(run(snapshot), 'jaeger-collector');
    expect(f.id).toMatch(/#jaeger-collector\/exit-code$/);
    expect(f.severity).toBe('critical');
    expect(f.dependsOn).toBeUndefined();
    expect(f.explanation).toContain('kubectl logs --previous shows them');
  });
});

describe('pods/crashloop — the other causes', () => {
  const findings = run(snapshotOf(SHOP));

  it('makes one finding per crashing workload and container', () => {
    expect(findings.map((f) => f.id).sort()).toEqual([
      'pods/crashloop:shop/Deployment/api#api/oom',
      'pods/crashloop:shop/Deployment/cart#cart/exit-code',
      'pods/crashloop:shop/Deployment/ghost#ghost/unknown',
      'pods/crashloop:shop/Deployment/ledger#ledger/dependency',
      'pods/crashloop:shop/Deployment/mailer#mailer/exit-code',
      'pods/crashloop:shop/Deployment/notifier#notifier/dependency',
      'pods/crashloop:shop/Deployment/orders#orders/liveness',
      'pods/crashloop:shop/Deployment/seed-data#seed/exit-code',
      'pods/crashloop:shop/StatefulSet/search#meilisearch/oom',
    ]);
  });

  it('oom: names the limit and raises it with a guarded JSON patch, kubectl set resources and the Helm value', () => {
    const f = onlyFinding(findings, 'api');
    expect(f.severity).toBe('critical');
    expect(f.title).toBe('api keeps crashing: killed for using more than its 128Mi memory limit (OOMKilled)');
    expect(f.objects.map((o) => o.kind)).toEqual(['Deployment', 'Pod', 'Pod']);
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ source: 'spec', path: 'spec.containers[0].resources.limits.memory', text: '128Mi' }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ text: expect.stringMatching(/^exitCode 137, reason OOMKilled/) }),
    );
    const plan = f.fixes[0]!;
    expect(plan).toMatchObject({ id: 'raise-memory-limit', mutates: true });
    expect(plan.steps[0]).toEqual({
      action: 'json-patch',
      ref: { kind: 'Deployment', name: 'api', namespace: 'shop' },
      patch: [
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'api' },
        { op: 'add', path: '/spec/template/spec/containers/0/resources/limits/memory', value: '256Mi' },
      ],
      description: 'Raise the memory limit of api in Deployment api from 128Mi to 256Mi.',
    });
    expect(plan.commands).toEqual([
      'kubectl set resources deployment/api -c api --limits=memory=256Mi -n shop',
      'kubectl rollout status deployment/api -n shop',
      "helm upgrade api <repo>/api --version 0.7.2 -n shop --reuse-values --set 'resources.limits.memory=256Mi'",
    ]);
    expect(plan.steps.at(-1)).toMatchObject({
      action: 'manual',
      description: expect.stringContaining('resources.limits.memory: 256Mi'),
    });
    expect(allSteps(f).some((s) => s.action === 'merge-patch' || s.action === 'rollout-restart')).toBe(false);
  });

  it('oom while running again: a warning, and StatefulSet pods are recreated after the patch', () => {
    const f = onlyFinding(findings, 'search');
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('meilisearch keeps restarting: killed for using more than its 512Mi memory limit (OOMKilled)');
    expect(f.explanation).toContain('is running now but has restarted 6 times, the last time at 2026-11-21T10:25:02Z');
    expect(f.fixes[0]!.steps.map((s) => s.action)).toEqual(['json-patch', 'delete']);
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl set resources statefulset/search -c meilisearch --limits=memory=1024Mi -n shop',
      'kubectl delete pod search-0 -n shop',
    ]);
  });

  it('oom: says what the container asks for beside its limit', () => {
    const f = onlyFinding(findings, 'api');
    expect(f.explanation).toContain(
      'It asks for (requests.memory) 64Mi: that is what the scheduler reserves on the node, while it may use up to 128Mi.',
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ path: 'spec.containers[0].resources.requests.memory', text: '64Mi' }),
    );
  });

  it('one OOM kill within the hour is already a warning; an older one is not', () => {
    const once = snapshotOf(SHOP, (input) => {
      const st = podNamed(input, 'search-').status!.containerStatuses![0]!;
      st.restartCount = 1;
    });
    expect(onlyFinding(run(once), 'search').explanation).toContain('has restarted 1 time, the last time at');
    const old = snapshotOf(SHOP, (input) => {
      const st = podNamed(input, 'search-').status!.containerStatuses![0]!;
      st.restartCount = 1;
      st.lastState!.terminated!.finishedAt = '2026-11-21T08:00:00Z';
    });
    expect(run(old).filter((f) => f.subject.name === 'search')).toEqual([]);
  });

  it('disk full on a PVC: names the claim and expands it when its class allows', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const p = podNamed(input, 'cart-');
      p.spec.containers[0]!.volumeMounts!.push({ name: 'data', mountPath: '/var/lib/cart' });
      p.spec.volumes!.push({ name: 'data', persistentVolumeClaim: { claimName: 'cart-data' } });
      input
        .logs!.find((l) => l.pod === p.metadata.name)!
        .lines.push('panic: write /var/lib/cart/wal/000042.log: no space left on device');
      input.pvcs = [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'cart-data', namespace: 'shop' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
            storageClassName: 'standard',
          },
          status: { phase: 'Bound', capacity: { storage: '1Gi' } },
        },
      ];
      input.storageClasses = [
        {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: { name: 'standard' },
          provisioner: 'k8s.io/minikube-hostpath',
          allowVolumeExpansion: true,
        },
      ];
    });
    const f = onlyFinding(run(snapshot), 'cart');
    expect(f.id).toMatch(/#cart\/disk-full$/);
    expect(f.title).toBe('cart keeps crashing: volume data (PVC cart-data) is full (No space left on device)');
    expect(f.evidence[0]).toMatchObject({
      source: 'log',
      text: 'panic: write /var/lib/cart/wal/000042.log: no space left on device',
    });
    expect(f.explanation).toContain('/var/lib/cart/wal/000042.log is on volume data (mounted at /var/lib/cart)');
    expect(f.fixes[0]).toMatchObject({
      id: 'expand-volume',
      commands: [
        `kubectl patch pvc cart-data -n shop -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'`,
        'kubectl get pvc cart-data -n shop',
      ],
    });
  });

  it('disk full on the container filesystem: says it shares the node disk', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const p = podNamed(input, 'cart-');
      input
        .logs!.find((l) => l.pod === p.metadata.name)!
        .lines.push("OSError: [Errno 28] No space left on device: '/tmp/cart-export.csv'");
    });
    const f = onlyFinding(run(snapshot), 'cart');
    expect(f.title).toBe('cart keeps crashing: its disk is full (No space left on device)');
    expect(f.explanation).toContain("/tmp/cart-export.csv is not on a volume, so it is the container's own filesystem");
    expect(f.fixes.map((p) => p.id)).toEqual(['free-disk-space']);
  });

  it('oom without a memory limit: asks for a request and a limit instead of doubling nothing', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      for (const p of input.pods!.filter((x) => x.metadata.name.startsWith('api-')))
        delete p.spec.containers[0]!.resources;
    });
    const f = onlyFinding(run(snapshot), 'api');
    expect(f.title).toBe('api keeps crashing: killed for lack of memory (OOMKilled, no memory limit set)');
    expect(f.fixes.map((p) => [p.id, p.mutates])).toEqual([['set-memory-request', false]]);
  });

  it('liveness: shows the probe with its defaults and gives it more time', () => {
    const f = onlyFinding(findings, 'orders');
    expect(f.title).toBe('orders keeps crashing: its liveness probe fails and Kubernetes restarts it');
    expect(f.explanation).toContain(
      'A liveness probe is Kubernetes asking the app "are you alive?" every 10s, allowing 1s for an answer; after 3 failures in a row',
    );
    expect(f.explanation).toContain('The check timed out');
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        path: 'spec.containers[0].livenessProbe',
        text: 'HTTP GET /healthz on port 8080; initialDelaySeconds 0 (default), periodSeconds 10, timeoutSeconds 1, failureThreshold 3',
      }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        reason: 'Killing',
        text: 'Container orders failed liveness probe, will be restarted',
        count: 9,
      }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        reason: 'Unhealthy',
        text: expect.stringMatching(
          /^Liveness probe failed: Get "http:\/\/10\.244\.0\.\d+:8080\/healthz": context deadline exceeded/,
        ),
      }),
    );
    expect(f.fixes.map((p) => p.id)).toEqual(['relax-probe', 'check-health-endpoint']);
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      patch: [
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'orders' },
        { op: 'add', path: '/spec/template/spec/containers/0/livenessProbe/timeoutSeconds', value: 5 },
      ],
    });
  });

  it('liveness answered with an error status: only the inspection plan, relaxing would hide it', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const e = input.events!.find((x) => x.reason === 'Unhealthy')!;
      e.message = 'Liveness probe failed: HTTP probe failed with statuscode: 503';
    });
    const f = onlyFinding(run(snapshot), 'orders');
    expect(f.explanation).toContain('it reports itself unhealthy');
    expect(f.fixes.map((p) => p.id)).toEqual(['check-health-endpoint']);
  });

  it('liveness refused on a port the container does not declare: says so', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const p = podNamed(input, 'orders-');
      p.spec.containers[0]!.livenessProbe!.httpGet!.port = 8081;
      input.events!.find((x) => x.reason === 'Unhealthy')!.message =
        `Liveness probe failed: Get "http://${p.status!.podIP}:8081/healthz": dial tcp ${p.status!.podIP}:8081: connect: connection refused`;
    });
    const f = onlyFinding(run(snapshot), 'orders');
    expect(f.title).toBe(
      'orders keeps crashing: its liveness probe dials port 8081, which the container does not declare',
    );
    expect(f.explanation).toContain(
      'The liveness probe dials port 8081, which the container does not declare (it declares 8080), and nothing answers there: the probe can never pass, however healthy the app is. Did you mean port 8080?',
    );
    expect(f.fixes.map((p) => p.id)).toEqual(['check-health-endpoint']);
  });

  it('liveness refused on an undeclared port with the template to patch: points the probe at the declared port', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const p = podNamed(input, 'orders-');
      p.spec.containers[0]!.livenessProbe!.httpGet!.port = 8081;
      const d = input.deployments!.find((x) => x.metadata.name === 'orders')!;
      d.spec.template.spec.containers[0]!.livenessProbe!.httpGet!.port = 8081;
      input.events!.find((x) => x.reason === 'Unhealthy')!.message =
        `Liveness probe failed: Get "http://${p.status!.podIP}:8081/healthz": dial tcp ${p.status!.podIP}:8081: connect: connection refused`;
    });
    const f = onlyFinding(run(snapshot), 'orders');
    expect(f.fixes.map((p) => p.id)).toEqual(['fix-probe-target', 'check-health-endpoint']);
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      ref: { kind: 'Deployment', name: 'orders', namespace: 'shop' },
      patch: [
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'orders' },
        { op: 'test', path: '/spec/template/spec/containers/0/livenessProbe/httpGet/port', value: 8081 },
        { op: 'replace', path: '/spec/template/spec/containers/0/livenessProbe/httpGet/port', value: 8080 },
      ],
    });
    expect(f.fixes[0]!.commands[0]).toContain('kubectl patch deployment orders -n shop --type=json');
  });

  it("liveness answered 404: the path is not served; the readiness probe's path is the did-you-mean", () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const p = podNamed(input, 'orders-');
      const d = input.deployments!.find((x) => x.metadata.name === 'orders')!;
      for (const c of [p.spec.containers[0]!, d.spec.template.spec.containers[0]!])
        c.readinessProbe = { httpGet: { path: '/health/ready', port: 8080 }, periodSeconds: 5 };
      input.events!.find((x) => x.reason === 'Unhealthy')!.message =
        'Liveness probe failed: HTTP probe failed with statuscode: 404';
    });
    const f = onlyFinding(run(snapshot), 'orders');
    expect(f.title).toBe('orders keeps crashing: its liveness probe asks for /healthz, which the app answers with 404');
    expect(f.explanation).toContain(
      'The app answers 404 Not Found for /healthz on port 8080: it does not serve that path, so the probe can never pass, however healthy the app is. Did you mean /health/ready, which another probe of the container asks for?',
    );
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      patch: [
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'orders' },
        { op: 'test', path: '/spec/template/spec/containers/0/livenessProbe/httpGet/path', value: '/healthz' },
        { op: 'replace', path: '/spec/template/spec/containers/0/livenessProbe/httpGet/path', value: '/health/ready' },
      ],
    });
  });

  it('liveness kills the app within the time the probe allows a start: a startup probe, not a weaker liveness probe', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const p = podNamed(input, 'orders-');
      const d = input.deployments!.find((x) => x.metadata.name === 'orders')!;
      for (const c of [p.spec.containers[0]!, d.spec.template.spec.containers[0]!])
        c.livenessProbe!.initialDelaySeconds = 30;
      input.events!.find((x) => x.reason === 'Unhealthy')!.message =
        `Liveness probe failed: Get "http://${p.status!.podIP}:8080/healthz": dial tcp ${p.status!.podIP}:8080: connect: connection refused`;
    });
    const f = onlyFinding(run(snapshot), 'orders');
    expect(f.title).toBe('orders keeps crashing: its liveness probe kills it before it has finished starting');
    expect(f.explanation).toContain('The last run lasted 63s');
    expect(f.explanation).toContain('the app gets about 60s to answer');
    expect(f.fixes.map((p) => p.id)).toEqual(['add-startup-probe', 'check-health-endpoint']);
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      patch: [
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'orders' },
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/startupProbe',
          value: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 30 },
        },
      ],
    });
  });

  it("a run that outlived the probe's allowance is not a slow start", () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const p = podNamed(input, 'orders-');
      input.events!.find((x) => x.reason === 'Unhealthy')!.message =
        `Liveness probe failed: Get "http://${p.status!.podIP}:8080/healthz": dial tcp ${p.status!.podIP}:8080: connect: connection refused`;
    });
    const f = onlyFinding(run(snapshot), 'orders');
    expect(f.fixes.map((p) => p.id)).toEqual(['relax-probe', 'check-health-endpoint']);
  });

  it('ignores probe kills from before the last run started', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      for (const e of input.events!.filter(
        (x) => x.involvedObject.name?.startsWith('orders-') && x.reason !== 'BackOff',
      ))
        e.lastTimestamp = '2026-11-21T10:05:00Z';
    });
    expect(onlyFinding(run(snapshot), 'orders').id).toMatch(/#orders\/exit-code$/);
  });

  it('exit 127: command not found, with the command as evidence', () => {
    const f = onlyFinding(findings, 'mailer');
    expect(f.title).toBe('mailer keeps crashing: exit code 127 (command not found)');
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        source: 'spec',
        path: 'spec.containers[0].command',
        text: '["sh","-c","celery -A mailer worker --loglevel=info"]',
      }),
    );
    expect(f.evidence).toContainEqual(expect.objectContaining({ source: 'log', text: 'sh: 1: celery: not found' }));
    expect(f.fixes[0]).toMatchObject({
      id: 'fix-crash-cause',
      mutates: false,
      commands: [expect.stringMatching(/^kubectl logs mailer-\S+ -c mailer -n shop --previous$/)],
    });
  });

  it('exit 1 with a host:port in the log but no connection failure: not a dependency', () => {
    const f = onlyFinding(findings, 'cart');
    expect(f.explanation).toContain('exit code 1: the program stopped itself with a general error');
    expect(f.dependsOn).toBeUndefined();
    expect(f.evidence.filter((e) => e.source === 'log').map((e) => e.text)).toContain(
      '2026/11/21 10:27:12 config: CART_TTL: time: missing unit in duration "15"',
    );
  });

  it('exit 0: a one-off command in a Deployment', () => {
    const f = onlyFinding(findings, 'seed-data');
    expect(f.title).toBe('seed keeps crashing: exit code 0 (exits successfully but must keep running)');
    expect(f.explanation).toContain('one-off work belongs in a Job');
  });

  it('dependency that is not installed: critical, no dependsOn, and credentials in the log are masked', () => {
    const f = onlyFinding(findings, 'notifier');
    expect(f.severity).toBe('critical');
    expect(f.title).toBe('notifier keeps crashing: it cannot reach rabbitmq');
    expect(f.dependsOn).toBeUndefined();
    expect(f.explanation).toContain('There is no Service named rabbitmq in namespace shop');
    const json = JSON.stringify(f);
    expect(json).not.toContain('s3cr3t-amqp');
    expect(json).toContain('amqp://notifier:***@rabbitmq:5672/');
  });

  it('dependency that is healthy: the client uses the wrong port', () => {
    const f = onlyFinding(findings, 'ledger');
    expect(f.severity).toBe('critical');
    expect(f.dependsOn).toEqual([
      { kind: 'Service', name: 'postgres', namespace: 'shop' },
      { kind: 'StatefulSet', name: 'postgres', namespace: 'shop' },
    ]);
    expect(f.explanation).toContain('ledger connects to port 5433, but Service postgres serves 5432');
    expect(f.fixes[0]).toMatchObject({
      id: 'check-dependency-address',
      steps: [{ action: 'manual', description: 'Set the port ledger uses for postgres to 5432 (it uses 5433).' }],
    });
  });

  it('unknown: nothing recorded about the last run', () => {
    const f = onlyFinding(findings, 'ghost');
    expect(f.title).toBe('ghost keeps crashing (CrashLoopBackOff)');
    expect(f.fixes[0]!.commands).toHaveLength(2);
  });
});

describe('exitCodeMeaning', () => {
  it.each([
    [139, 'segmentation fault'],
    [126, 'command not executable'],
    [143, 'terminated (SIGTERM)'],
    [130, 'killed by signal 2'],
    [3, 'exit code 3'],
  ])('%i → %s', (code, short) => {
    expect(exitCodeMeaning(code).short).toBe(short);
  });
});

describe('pods/crashloop — nothing to report, and hostile input', () => {
  it('ignores healthy pods, completed Jobs, old restarts and unscheduled pods', () => {
    expect(run(new Snapshot(loadInput('healthy-and-odd.json')))).toEqual([]);
  });

  it('ignores Elasticsearch, which runs without restarts in S1, and the healthy sidecar', () => {
    const names = run(snapshotOf(S1)).flatMap((f) => f.objects.map((o) => o.name));
    expect(names.some((n) => n.startsWith('elasticsearch-master'))).toBe(false);
    expect(run(snapshotOf(S1)).some((f) => f.id?.includes('jaeger-agent'))).toBe(false);
  });

  it('survives missing fields, junk logs and huge lines', () => {
    const waiting = { waiting: { reason: 'CrashLoopBackOff' } };
    const pods = [
      {
        metadata: { name: 'a', namespace: 'x' },
        spec: { containers: [{ name: 'c' }] },
        status: { containerStatuses: [{ name: 'c', restartCount: 3, state: waiting, lastState: { terminated: {} } }] },
      },
      { metadata: { name: 'b', namespace: 'x' }, status: { containerStatuses: [{ name: 'c', state: waiting }] } },
      {
        metadata: { name: 'c', namespace: 'x' },
        spec: { containers: [{ name: 'c' }] },
        status: {
          containerStatuses: [
            {
              name: 'c',
              restartCount: 9,
              state: { running: {} },
              lastState: { terminated: { exitCode: 1, finishedAt: 'yesterday' } },
            },
          ],
        },
      },
    ] as unknown as Pod[];
    const logs = [
      {
        namespace: 'x',
        pod: 'a',
        container: 'c',
        previous: true,
        lines: [
          null,
          42,
          `connection refused ${'x'.repeat(200_000)}:1`,
          'dial tcp: lookup db.internal on 10.96.0.10:53: no such host',
        ],
      },
    ] as unknown as SnapshotInput['logs'];
    const findings = run(new Snapshot({ pods, logs }));
    expect(findings.map((f) => f.id).sort()).toEqual([
      'pods/crashloop:x/Pod/a#c/dependency',
      'pods/crashloop:x/Pod/b#c/unknown',
    ]);
    for (const f of findings) for (const e of f.evidence) expect(e.text.length).toBeLessThan(1100);
  });
});
